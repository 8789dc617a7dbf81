import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { ErrorMessage } from "@/components/ErrorMessage";
import { useShortcuts } from "@/lib/shortcuts";
import { useCreateProject } from "../api/create-project";

const SHORTCUTS = {
  id: "create-project",
  title: "New project",
  shortcuts: [{ keys: ["Enter"], action: "In a class name: go on to the next class (adding one after the last)" }],
};

const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#469990", "#9a6324"];
type ClassRow = { name: string; color: string };

export function CreateProjectForm({ onCreated }: { onCreated: (projectId: number) => void }) {
  const create = useCreateProject();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [taskType, setTaskType] = useState<"detection">("detection");
  const [classes, setClasses] = useState<ClassRow[]>([{ name: "", color: PALETTE[0]! }]);

  useShortcuts(SHORTCUTS);
  const classInputs = useRef<(HTMLInputElement | null)[]>([]);
  const [focusClass, setFocusClass] = useState<number | null>(null);
  useEffect(() => {
    if (focusClass != null) classInputs.current[focusClass]?.focus();
  }, [focusClass, classes.length]);
  // Enter in a class's name goes on to the next class (adding one after the last), as in a list;
  // it never submits the form with the classes typed so far.
  const onClassKey = (index: number) => (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    if (index === classes.length - 1) {
      setClasses((rows) => [...rows, { name: "", color: PALETTE[rows.length % PALETTE.length]! }]);
    }
    setFocusClass(index + 1);
  };
  const setClass = (index: number, patch: Partial<ClassRow>) =>
    setClasses((rows) => rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const named = classes.filter((c) => c.name.trim()).map((c) => ({ name: c.name.trim(), color: c.color }));
    create.mutate({ name: name.trim(), description, task_type: taskType, classes: named }, { onSuccess: (p) => onCreated(p.id) });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Create a project">
      <label>
        Project name
        <input required value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
      </label>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label>
        Task type (segmentation comes with masks)
        <select value={taskType} onChange={(e) => setTaskType(e.target.value as "detection")}>
          <option value="detection">Detection (boxes)</option>
        </select>
      </label>
      <fieldset>
        <legend>Classes</legend>
        {classes.map((row, index) => (
          <div className="row" key={index}>
            <label className="grow">
              <span className="visually-hidden">Class {index + 1} name</span>
              <input ref={(el) => { classInputs.current[index] = el; }} placeholder={`Class ${index + 1}`} value={row.name} onChange={(e) => setClass(index, { name: e.target.value })} onKeyDown={onClassKey(index)} aria-label={`Class ${index + 1} name`} />
            </label>
            <input type="color" value={row.color} onChange={(e) => setClass(index, { color: e.target.value })} aria-label={`Class ${index + 1} colour`} />
            <button type="button" className="button--ghost" onClick={() => setClasses((rows) => rows.filter((_, i) => i !== index))} aria-label={`Remove class ${index + 1}`} disabled={classes.length === 1}>
              ✕
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setClasses((rows) => [...rows, { name: "", color: PALETTE[rows.length % PALETTE.length]! }])}>
          Add a class
        </button>
      </fieldset>
      <ErrorMessage error={create.error} />
      <button type="submit" className="button--primary" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create project"}
      </button>
    </form>
  );
}
