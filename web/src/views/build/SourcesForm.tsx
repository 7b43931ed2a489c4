// Details: the sources the evidence points into (the article text itself stays in the corpus).
import { problemsAt, readNumber } from "../../../../src/model/details.js";
import { formatPath } from "../../../../src/model/paths.js";
import { type Edits, EntryCard, Field, freeId, listAt, ProblemList } from "./DetailField";

const FIELDS = ["id", "title", "outlet", "author", "date", "file", "url", "sha256", "lines", "language"];

/** How many evidence locators of the file's data point into a source. */
export function evidenceCount(data: Record<string, unknown>, source: string): number {
  let n = 0;
  const item = (e: unknown) => {
    if (typeof e === "string") n += e.split(":")[0].trim() === source ? 1 : 0;
    else if (e && typeof e === "object") n += (e as { source?: unknown }).source === source ? 1 : 0;
  };
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (k === "evidence") (Array.isArray(x) ? x : [x]).forEach(item);
        else walk(x);
      }
  };
  walk({ ...data, sources: undefined });
  return n;
}

export function SourcesForm({ data, ed }: { data: Record<string, unknown>; ed: Edits }) {
  const sources = listAt(data, "sources");
  return (
    <section className="df-section" aria-label="Sources">
      <p className="muted small df-intro">
        The documents the evidence points into (source:line). The text itself is added to the corpus, not to
        the model; a file or a url says where it is, sha256 and lines let it be checked.
      </p>
      {sources.length === 0 && <p className="muted">No sources yet.</p>}
      {sources.map((s, i) => {
        const path = ["sources", i];
        const fresh = ed.fresh === formatPath(path);
        const id = String(s.id ?? "");
        const title = typeof s.title === "string" && s.title ? s.title : "(no title yet)";
        return (
          <EntryCard
            key={ed.itemKey(["sources"], i, sources.length)}
            open={fresh}
            problems={problemsAt(ed.problems, path)}
            title={
              <>
                <code>{id}</code> <strong>{title}</strong>
              </>
            }
            detail={
              <span className="muted">{[s.outlet, s.date].filter(Boolean).map(String).join(" · ")}</span>
            }
          >
            <div className="df-grid">
              <Field label="Id" path={[...path, "id"]} value={s.id} ed={ed} required />
              <Field label="Date" path={[...path, "date"]} value={s.date} ed={ed} placeholder="YYYY-MM-DD" />
              <Field
                label="Title"
                path={[...path, "title"]}
                value={s.title}
                ed={ed}
                required
                className="wide"
                autoFocus={fresh}
              />
              <Field label="Outlet" path={[...path, "outlet"]} value={s.outlet} ed={ed} />
              <Field label="Author" path={[...path, "author"]} value={s.author} ed={ed} />
              <Field
                label="Url"
                path={[...path, "url"]}
                value={s.url}
                ed={ed}
                className="wide"
                placeholder="https://…"
              />
              <Field
                label="File"
                path={[...path, "file"]}
                value={s.file}
                ed={ed}
                placeholder="file name in the corpus folder"
              />
              <Field
                label="Language"
                path={[...path, "language"]}
                value={s.language}
                ed={ed}
                placeholder="en"
              />
              <Field
                label="sha256 of the text"
                path={[...path, "sha256"]}
                value={s.sha256}
                ed={ed}
                className="wide mono"
                placeholder="64 hex digits"
              />
              <Field
                label="Lines"
                path={[...path, "lines"]}
                value={s.lines}
                ed={ed}
                read={readNumber}
                numeric
                hint="The number of lines, to check locators without the text."
              />
            </div>
            <ProblemList problems={problemsAt(ed.problems, path, FIELDS)} />
            <div className="df-toolbar">
              <span className="df-grow" />
              <button
                type="button"
                className="danger-text"
                onClick={() => {
                  const n = evidenceCount(data, id);
                  ed.remove(
                    path,
                    `the source ${id} (“${title}”)`,
                    n
                      ? `${n} evidence locator${n === 1 ? " points" : "s point"} into it: they will be problems to fix.`
                      : undefined,
                  );
                }}
              >
                Remove this source
              </button>
            </div>
          </EntryCard>
        );
      })}
      <div className="df-toolbar">
        <button type="button" onClick={() => ed.insert(["sources"], { id: freeId("source", sources) })}>
          Add a source
        </button>
      </div>
      <ProblemList
        problems={problemsAt(
          ed.problems,
          ["sources"],
          sources.map((_, i) => String(i)),
        )}
      />
    </section>
  );
}
