import { useState, type FormEvent } from "react";
import { ErrorMessage } from "@/components/ErrorMessage";
import { Spinner } from "@/components/Spinner";
import { useAuthStatus } from "../api/get-auth-status";
import { useSetupAdmin } from "../api/setup-admin";
import { useSignIn } from "../api/sign-in";
import { useSignUp } from "../api/sign-up";

type Mode = "signin" | "signup";

/** First run (create the admin account), sign in and sign up. */
export function AuthScreen() {
  const status = useAuthStatus();
  const [mode, setMode] = useState<Mode>("signin");
  const setup = useSetupAdmin();
  const signIn = useSignIn();
  const signUp = useSignUp();

  if (status.isPending) return <Spinner />;
  if (status.isError) return <ErrorMessage error={status.error} title="Cannot reach MetaLoop" />;

  if (status.data.needs_setup) {
    return (
      <section className="auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">Welcome to MetaLoop</h1>
        <p>This is a new installation. Create the first account: it becomes the administrator.</p>
        <CredentialsForm submitLabel="Create admin account" pending={setup.isPending} error={setup.error} onSubmit={(c) => setup.mutate(c)} newPassword />
      </section>
    );
  }
  const active = mode === "signup" ? signUp : signIn;
  return (
    <section className="auth-card" aria-labelledby="auth-title">
      <h1 id="auth-title">{mode === "signup" ? "Create an account" : "Sign in to MetaLoop"}</h1>
      <CredentialsForm
        key={mode}
        submitLabel={mode === "signup" ? "Sign up" : "Sign in"}
        pending={active.isPending}
        error={active.error}
        onSubmit={(c) => active.mutate(c)}
        newPassword={mode === "signup"}
      />
      {status.data.allow_signup && (
        <p>
          {mode === "signin" ? "No account yet? " : "Already have an account? "}
          <button type="button" className="button--link" onClick={() => setMode(mode === "signin" ? "signup" : "signin")}>
            {mode === "signin" ? "Sign up" : "Sign in"}
          </button>
        </p>
      )}
    </section>
  );
}

type Credentials = { username: string; password: string };

function CredentialsForm({ submitLabel, pending, error, onSubmit, newPassword }: { submitLabel: string; pending: boolean; error: unknown; onSubmit: (c: Credentials) => void; newPassword: boolean }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ username: username.trim(), password });
  };
  return (
    <form className="form" onSubmit={submit}>
      <label>
        Username
        <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} pattern="[A-Za-z0-9_.@\-]+" title="letters, digits and _ . @ -" />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete={newPassword ? "new-password" : "current-password"} required minLength={newPassword ? 12 : undefined} title={newPassword ? "at least 12 characters, not your username" : undefined} value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <ErrorMessage error={error} />
      <button type="submit" className="button--primary" disabled={pending}>
        {pending ? "Please wait…" : submitLabel}
      </button>
    </form>
  );
}
