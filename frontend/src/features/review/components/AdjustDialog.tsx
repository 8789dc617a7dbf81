import { useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { BoxEditor, type EditableBox } from "@/components/box-editor/BoxEditor";
import { useClassKeys } from "@/components/box-editor/useClassKeys";
import { Dialog } from "@/components/Dialog";
import { ErrorMessage } from "@/components/ErrorMessage";
import type { Schemas } from "@/lib/api/client";
import { useFileUrl } from "@/lib/tickets";
import { fromXywh, toXywh } from "@/lib/geometry";
import { queryKeys } from "@/lib/query-keys";
import { useAnnotations } from "@/features/annotate/api/list-annotations";
import { updateAnnotation } from "@/features/annotate/api/update-annotation";
import { useAcceptPredictions } from "../api/accept-predictions";

type Prediction = Schemas["PredictionOut"];
type Props = {
  projectId: number;
  prediction: Prediction | null;
  image: { width: number; height: number } | null;
  classes: Schemas["LabelClassOut"][];
  /** After the adjusted box is saved (e.g. to reject the object's other-class predictions). */
  onAccepted?: () => void;
  onClose: () => void;
};

/** "Adjust": the editor opens with the prediction as the starting box; saving accepts the
 * prediction (so the annotation keeps the source "accepted_prediction") with the corrected box
 * and class, and records the time spent. */
export function AdjustDialog({ projectId, prediction, image, classes, onAccepted, onClose }: Props) {
  const fileUrl = useFileUrl(projectId);
  const open = prediction != null && image != null;
  const [boxes, setBoxes] = useState<EditableBox[]>([]);
  const [selected, setSelected] = useState<string | null>("prediction");
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const openedAt = useRef(Date.now());
  const accept = useAcceptPredictions(projectId);
  const client = useQueryClient();
  const truth = useAnnotations(projectId, open ? prediction.image_id : null);

  useEffect(() => {
    if (!prediction) return;
    setBoxes([{ key: "prediction", classId: prediction.class_id, box: fromXywh(prediction.box) }]);
    setSelected("prediction");
    setError(null);
    openedAt.current = Date.now();
  }, [prediction]);
  const area = useRef<HTMLDivElement>(null);
  useClassKeys(classes, (classId) => setBoxes((b) => b.map((x) => ({ ...x, classId }))), { active: open, scope: () => area.current, title: "Adjust dialog (Review)" });

  if (!open) return <Dialog title="Adjust prediction" open={false} onClose={onClose}>{null}</Dialog>;
  const box = boxes[0];
  const save = async () => {
    if (!box) return;
    setSaving(true);
    setError(null);
    try {
      const accepted = await accept.mutateAsync({ ids: [prediction.id] });
      const annotationId = accepted.annotation_ids[0];
      if (annotationId == null) {
        setError(new Error(`Prediction ${prediction.id} is not pending any more (it was accepted or rejected meanwhile): nothing changed.`));
        return;
      }
      await updateAnnotation(projectId, annotationId, { class_id: box.classId, box: toXywh(box.box, image), time_spent_ms: Date.now() - openedAt.current });
      void client.invalidateQueries({ queryKey: queryKeys.annotations(projectId) });
      onAccepted?.();
      onClose();
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };
  const colorOf = new Map(classes.map((c) => [c.id, c.color]));
  return (
    <Dialog title={`Adjust prediction ${prediction.id} on image ${prediction.image_id}`} open onClose={onClose} wide>
      <div className="adjust" ref={area}>
        <div className="adjust__editor">
          <BoxEditor
            imageUrl={fileUrl(`/api/projects/${projectId}/images/${prediction.image_id}/file`)}
            imageSize={{ width: image.width, height: image.height }}
            boxes={boxes}
            classes={classes}
            activeClassId={box?.classId ?? null}
            selectedKey={selected}
            onSelect={(key) => setSelected(key ?? "prediction")}
            onCommit={(next) => setBoxes(next.filter((b) => b.key === "prediction"))}
            overlays={(truth.data ?? []).map((a) => ({ key: `gt-${a.id}`, box: fromXywh(a.box), color: colorOf.get(a.class_id) ?? "#888" }))}
            tool="edit"
            label="Drag the box or its handles to correct it"
          />
        </div>
        <div className="form">
          <label>
            Class
            <select value={box?.classId} onChange={(e) => setBoxes((b) => b.map((x) => ({ ...x, classId: Number(e.target.value) })))}>
              {classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </label>
          <p className="small muted">Score {prediction.score.toFixed(3)} · solid boxes are this image's annotations.</p>
          <ErrorMessage error={truth.error} title="This image's annotations could not be loaded" />
          <ErrorMessage error={error} title="Not saved" />
          <button type="button" className="button--primary" onClick={() => void save()} disabled={saving || !box}>
            {saving ? "Saving…" : "Accept adjusted box"}
          </button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </div>
    </Dialog>
  );
}
