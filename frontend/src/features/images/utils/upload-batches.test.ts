import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { uploadInBatches } from "./upload-batches";

const file = (name: string, size = 10) => new File([new Uint8Array(size)], name);

/** A server that refuses a whole request when one of its files is named bad-*. */
function server(calls: string[][]) {
  return async (batch: File[]) => {
    calls.push(batch.map((f) => f.name));
    const bad = batch.find((f) => f.name.startsWith("bad"));
    if (bad) throw new ApiError(422, `file '${bad.name}' is not an image`);
    return batch.map((f) => f.name);
  };
}

describe("uploadInBatches", () => {
  it("keeps the good files of a refused request and says why each bad one was refused", async () => {
    const calls: string[][] = [];
    const files = ["a", "bad-1", "b", "c", "bad-2"].map((n) => file(n));
    const outcome = await uploadInBatches(files, server(calls), undefined, 3);
    expect(outcome.added).toEqual(["a", "b", "c"]);
    expect(outcome.refused).toEqual([
      { name: "bad-1", reason: "file 'bad-1' is not an image" },
      { name: "bad-2", reason: "file 'bad-2' is not an image" },
    ]);
    // a request of three, refused, then each of its files alone; then the last two, likewise
    expect(calls).toEqual([["a", "bad-1", "b"], ["a"], ["bad-1"], ["b"], ["c", "bad-2"], ["c"], ["bad-2"]]);
  });

  it("sends good batches once and reports progress over all bytes", async () => {
    const calls: string[][] = [];
    const seen: number[] = [];
    const outcome = await uploadInBatches([file("a", 30), file("b", 10)], server(calls), (f) => seen.push(f), 1);
    expect(outcome).toEqual({ added: ["a", "b"], refused: [] });
    expect(calls).toEqual([["a"], ["b"]]);
    expect(seen.at(-1)).toBe(1);
    expect(seen).toContain(0.75);
  });

  it("stops at a refusal that holds for every file", async () => {
    const send = async () => {
      throw new ApiError(403, "You do not have permission to do this.");
    };
    await expect(uploadInBatches([file("a"), file("b")], send)).rejects.toThrow("permission");
  });

  it("does not retry file by file when the server failed", async () => {
    const calls: string[][] = [];
    const send = async (batch: File[]) => {
      calls.push(batch.map((f) => f.name));
      throw new ApiError(503, "The server failed");
    };
    const outcome = await uploadInBatches([file("a"), file("b")], send);
    expect(calls).toEqual([["a", "b"]]);
    expect(outcome.refused.map((r) => r.name)).toEqual(["a", "b"]);
  });
});
