// The sizes and fonts of a flow's diagram, shared by its layout and its
// drawing.

export const FONT = '600 13px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
export const SMALL = '11px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
export const CODE = '12px ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace';
export const H = 38;          // node height (one line)
export const H2 = 50;         // node height (with a detail line)
export const GAP_X = 28;      // between nodes of a layer
export const GAP_Y = 46;      // between layers
export const PAD = 24;        // around the drawing
export const DUMMY_W = 12;    // width of a waypoint
export const MAX_W = 280;     // widest node
