import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import type { Middleware } from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api } from "@/lib/api/client";
import { OnnxCard, OnnxCardView, type OnnxSection } from "./OnnxCard";

// the `onnx` section as the API answers it for a letters model (the worker's section, as
// worker/engine/onnx_export.py's onnx_card writes it, with the API's download fields)
const SECTION: OnnxSection = {
  opset: 17,
  input: { name: "images", shape: ["batch", 3, 224, 224], dtype: "float32", channels: "RGB", layout: "NCHW", normalisation: "(pixel / 255 - mean) / std", mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
  outputs: {
    boxes: "(batch, K, 4) float32 x, y, w, h in input pixels, best score first",
    scores: "(batch, K) float32 sqrt(sigmoid(class logit) * sigmoid(centre-ness))",
    labels: "(batch, K) int64 index into classes; -1 (score 0) is padding",
  },
  classes: ["C", "F"],
  scale_mode: "letterbox",
  input_size: 224,
  score_threshold: 0.05,
  nms_iou: 0.5,
  max_detections: 100,
  preprocessing: "letterbox: resize by 224 / max(w, h) (Pillow bilinear, round(w*s) x round(h*s)); normalise; place at the top left of a zero 224x224 canvas",
  postprocessing: "per image: keep score >= 0.05; class-wise NMS at IoU 0.5; keep the best 100; divide boxes by the scale; clip to the image; drop empty boxes",
  reference: "worker/engine/onnx_export.py: preprocess, postprocess, detect_onnx",
  download: "/api/projects/3/models/5/onnx",
  job_id: 41,
  size: 2_400_000,
  exported_at: "2026-11-30T10:00:00+00:00",
};

describe("OnnxCardView", () => {
  it("says how to use the exported file: input, normalisation, outputs, decoding, classes, download", () => {
    render(<OnnxCardView section={SECTION} downloadHref="/api/projects/3/models/5/onnx?ticket=t1" />);
    const card = screen.getByRole("region", { name: "ONNX" });
    expect(card.getAttribute("data-state")).toBe("exported");
    expect(screen.getByTestId("onnx-input").textContent).toContain("images float32 NCHW [batch, 3, 224, 224], RGB");
    expect(screen.getByTestId("onnx-normalisation").textContent).toBe("(pixel / 255 - mean) / std with mean (0.5, 0.5, 0.5) and std (0.25, 0.25, 0.25)");
    expect(card.textContent).toContain("labels: (batch, K) int64 index into classes");
    expect(card.textContent).toContain("letterbox: resize by 224 / max(w, h)");
    expect(screen.getByTestId("onnx-postprocessing").textContent).toContain("class-wise NMS at IoU 0.5");
    expect(screen.getByTestId("onnx-classes").textContent).toBe("0 C · 1 F");
    expect(card.textContent).toContain("From export job 41");
    const link = screen.getByRole("link", { name: "Download .onnx" });
    expect(link.getAttribute("href")).toBe("/api/projects/3/models/5/onnx?ticket=t1");
    expect(link.hasAttribute("download")).toBe(true);
  });

  it("says that there is nothing to use before an export has succeeded", () => {
    render(<OnnxCardView section={null} downloadHref="" />);
    expect(screen.getByRole("region", { name: "ONNX" }).textContent).toContain("Not exported to ONNX in this project yet");
    expect(screen.queryByText("Download .onnx")).toBeNull();
  });
});

// the API in memory: the model's card gains its `onnx` section once the export job succeeded
let exported = false;
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const server: Middleware = {
  onRequest: async ({ request }) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/tickets") return json({ ticket: "t1", expires_in: 900 }, 201);
    if (path === "/api/projects/3/models/5") return json({ id: 5, name: "v2", card: exported ? { name: "v2", onnx: SECTION } : { name: "v2" } });
    if (path === "/api/projects/3/jobs") {
      return json(exported ? [{ id: 41, kind: "export_onnx", model_id: 5, state: "succeeded" }] : []);
    }
    return json({ detail: "no route" }, 404);
  },
};
beforeEach(() => {
  exported = false;
  api.use(server);
});
afterEach(() => api.eject(server));

describe("OnnxCard", () => {
  it("reads the card again when an export of the model succeeds, and links the download with a files ticket", async () => {
    const client = new QueryClient();
    render(
      <QueryClientProvider client={client}>
        <OnnxCard projectId={3} modelId={5} />
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByRole("region", { name: "ONNX" }).getAttribute("data-state")).toBe("none"));
    exported = true;
    await client.invalidateQueries({ queryKey: ["jobs"] }); // what the live job events do
    await waitFor(() => expect(screen.getByRole("region", { name: "ONNX" }).getAttribute("data-state")).toBe("exported"));
    await waitFor(() => expect(screen.getByRole("link", { name: "Download .onnx of v2" }).getAttribute("href")).toBe("/api/projects/3/models/5/onnx?ticket=t1"));
  });
});
