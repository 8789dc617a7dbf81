import type { Box, Size } from "@/lib/geometry";

export type DrawnBox = { key: string; box: Box; color: string; label?: string; dashed?: boolean };

/** An image with boxes drawn on it (read-only), scaled to its container; `view` crops it. */
export function AnnotatedImage({ imageUrl, size, boxes, label, view, className }: { imageUrl: string; size: Size; boxes: readonly DrawnBox[]; label: string; view?: Box; className?: string }) {
  const v = view ?? { x: 0, y: 0, w: size.width, h: size.height };
  const font = Math.max(8, v.w / 22);
  return (
    <svg className={className ?? "annotated-image"} viewBox={`${v.x} ${v.y} ${v.w} ${v.h}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
      <image href={imageUrl} x={0} y={0} width={size.width} height={size.height} />
      {boxes.map((b) => (
        <g key={b.key}>
          <rect x={b.box.x} y={b.box.y} width={b.box.w} height={b.box.h} fill="none" stroke={b.color} strokeWidth={2} strokeDasharray={b.dashed ? "5 3" : undefined} vectorEffect="non-scaling-stroke" />
          {b.label && (
            // a label that would run past the right edge ends at its box's right side instead
            <text {...labelX(b.box, b.label, font, v)} y={Math.max(b.box.y - 2, v.y + font)} fontSize={font} fill={b.color} stroke="#fff" strokeWidth={font / 5} paintOrder="stroke">
              {b.label}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}

/** Where a box's label starts: at its left side, or, when it would not fit before the view's
 * right edge (about 0.6 em a character), ending at its right side. */
function labelX(box: Box, label: string, font: number, view: Box): { x: number; textAnchor?: "end" } {
  const fits = box.x + 1 + label.length * font * 0.6 <= view.x + view.w;
  return fits ? { x: box.x + 1 } : { x: Math.min(box.x + box.w, view.x + view.w) - 1, textAnchor: "end" };
}
