// Network of factors (edges: the judgments from one factor to another) and actors (who owns what).
import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";
import { useEffect, useMemo, useRef } from "react";
import type { Lookup } from "../lookup";
import type { MatrixIndex } from "./matrix";

cytoscape.use(fcose);

export interface FactorEdge {
  from: number;
  to: number;
  /** Σ |strength| of the judgments between the two factors. */
  weight: number;
  /** +1 reinforcing, −1 counteracting, 0 mixed (see the legend). */
  sign: number;
  /** The strongest cell, to open in the matrix. */
  top: { r: number; c: number };
}

/**
 * Factor-to-factor edges. The sign reads a block the way its states are listed (first state
 * to last): does a later state of the source promote later states of the target (reinforcing)
 * or earlier ones (counteracting)?
 */
export function factorEdges(lookup: Lookup, index: MatrixIndex): FactorEdge[] {
  const { model, offsets } = lookup;
  const out: FactorEdge[] = [];
  model.factors.forEach((fa, a) =>
    model.factors.forEach((fb, b) => {
      if (a === b) return;
      let weight = 0;
      let align = 0;
      let top = { r: 0, c: 0 };
      let topAbs = -1;
      const pa = (k: number) => (fa.states.length > 1 ? k / (fa.states.length - 1) - 0.5 : 0);
      const pb = (k: number) => (fb.states.length > 1 ? k / (fb.states.length - 1) - 0.5 : 0);
      fa.states.forEach((_, k) =>
        fb.states.forEach((_, l) => {
          const r = offsets[a] + k;
          const c = offsets[b] + l;
          const v = index.value(r, c);
          weight += Math.abs(v);
          align += v * pa(k) * pb(l);
          if (Math.abs(v) > topAbs) {
            topAbs = Math.abs(v);
            top = { r, c };
          }
        }),
      );
      if (weight > 0)
        out.push({ from: a, to: b, weight, sign: Math.abs(align) < 1e-9 ? 0 : Math.sign(align), top });
    }),
  );
  return out;
}

export function NetworkGraph({
  lookup,
  index,
  short,
  onEdge,
  onFactor,
}: {
  lookup: Lookup;
  index: MatrixIndex;
  short: boolean;
  onEdge: (cell: { r: number; c: number }) => void;
  onFactor: (factor: number) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const edges = useMemo(() => factorEdges(lookup, index), [lookup, index]);
  const handlers = useRef({ onEdge, onFactor });
  handlers.current = { onEdge, onFactor };

  useEffect(() => {
    if (!ref.current) return;
    const { model } = lookup;
    const maxW = Math.max(1, ...edges.map((e) => e.weight));
    const cy = cytoscape({
      container: ref.current,
      elements: [
        ...model.factors.map((f, j) => ({
          data: { id: `f:${f.id}`, label: short ? f.short : f.name, kind: "factor", j },
        })),
        ...model.actors.map((a) => ({ data: { id: `a:${a.id}`, label: a.name, kind: "actor" } })),
        ...edges.map((e, i) => ({
          data: {
            id: `e${i}`,
            source: `f:${model.factors[e.from].id}`,
            target: `f:${model.factors[e.to].id}`,
            w: 1 + (5 * e.weight) / maxW,
            color: e.sign > 0 ? "#2f8a57" : e.sign < 0 ? "#c0392b" : "#8a8f94",
            i,
          },
        })),
        ...model.factors.flatMap((f) =>
          f.owners.map((o) => ({
            data: { id: `o:${o}:${f.id}`, source: `a:${o}`, target: `f:${f.id}`, kind: "owns" },
          })),
        ),
      ],
      style: [
        {
          selector: "node[kind = 'factor']",
          style: {
            "background-color": "#e8eef5",
            "border-color": "#3465a4",
            "border-width": 2,
            label: "data(label)",
            "font-size": short ? 12 : 11,
            "text-valign": "center",
            "text-halign": "center",
            "text-wrap": "wrap",
            "text-max-width": short ? "74px" : "116px",
            "text-overflow-wrap": "whitespace",
            // long names wrap inside a wider box (at most four lines)
            width: short ? 78 : 124,
            height: short ? 34 : 56,
            shape: "round-rectangle",
            color: "#1d2327",
            "min-zoomed-font-size": 7,
          },
        },
        {
          selector: "node[kind = 'actor']",
          style: {
            "background-color": "#f6e7c8",
            "border-color": "#b07d18",
            "border-width": 1.5,
            shape: "diamond",
            label: "data(label)",
            "font-size": 10,
            "text-valign": "bottom",
            "text-margin-y": 2,
            "text-wrap": "wrap",
            "text-max-width": "96px",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.8,
            "text-background-padding": "1px",
            width: 18,
            height: 18,
            color: "#5c4a1a",
            "min-zoomed-font-size": 7,
          },
        },
        {
          selector: "edge[w]",
          style: {
            width: "data(w)",
            "line-color": "data(color)",
            "target-arrow-color": "data(color)",
            "target-arrow-shape": "triangle",
            "curve-style": "bezier",
            opacity: 0.7,
            "arrow-scale": 0.8,
          },
        },
        {
          selector: "edge[kind = 'owns']",
          style: {
            width: 1,
            "line-color": "#b07d18",
            "line-style": "dashed",
            opacity: 0.55,
            "curve-style": "straight",
          },
        },
        { selector: "node:selected", style: { "border-width": 4, "border-color": "#1d2327" } },
        { selector: "edge:selected", style: { opacity: 1 } },
      ],
      // Force-directed (fCoSE) from a spectral start, in its slow-cooling quality so that label
      // sizes count as node sizes: nodes and their labels keep apart. Owner links are short and
      // weak, so an actor sits by its factors without pulling them together.
      layout: {
        name: "fcose",
        animate: false,
        randomize: true,
        quality: "proof",
        nodeDimensionsIncludeLabels: true,
        samplingType: false,
        nodeSeparation: 90,
        nodeRepulsion: (n: cytoscape.NodeSingular) => (n.data("kind") === "actor" ? 5000 : 12000),
        idealEdgeLength: (e: cytoscape.EdgeSingular) => (e.data("kind") === "owns" ? 60 : 115),
        edgeElasticity: (e: cytoscape.EdgeSingular) => (e.data("kind") === "owns" ? 0.1 : 0.35),
        gravity: 0.3,
        numIter: 4000,
        tilingPaddingVertical: 24,
        tilingPaddingHorizontal: 24,
        padding: 24,
      } as cytoscape.LayoutOptions,
      wheelSensitivity: 0.3,
    });
    cy.on("tap", "edge[w]", (ev) => {
      const e = edges[ev.target.data("i") as number];
      if (e) handlers.current.onEdge(e.top);
    });
    cy.on("tap", "node[kind = 'factor']", (ev) => handlers.current.onFactor(ev.target.data("j") as number));
    return () => cy.destroy();
  }, [lookup, edges, short]);

  return (
    <div className="network">
      <div
        ref={ref}
        className="cy"
        role="img"
        aria-label={`Network of ${lookup.model.factors.length} factors and ${lookup.model.actors.length} actors: ${edges.length} factor-to-factor influences. The same judgments are in the matrix.`}
      />
      <div className="legend network-legend">
        <span>
          <i className="line green" /> reinforcing: a later-listed state of one factor promotes later-listed
          states of the other
        </span>
        <span>
          <i className="line red" /> counteracting
        </span>
        <span>width: total strength of the judgments</span>
        <span>
          <i className="diamond" /> actor, <i className="line dashed" /> owns the factor
        </span>
        <span className="muted">Click an arrow to open its strongest judgment.</span>
      </div>
    </div>
  );
}
