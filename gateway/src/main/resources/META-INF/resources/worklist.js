// The worklist page: studies from GET /api/studies, a page at a time, sorted and filtered by the server, refreshed every
// 10 s, and one study's detail: each series' latest result on three planes with a slice slider each, its measurements
// and where its SEG went. Signing in and out: signin.js.
"use strict";

const REFRESH_MS = 10000;
const $ = id => document.getElementById(id);
let openStudy = null;
let thumbnailUrls = [];
let page = 0;
// The sort parameter of /api/studies: a column name, "-" first for descending; the server's default when empty.
let sort = "";
const FILTERS = ["patientName", "patientId", "accession", "studyDateFrom", "studyDateTo", "description", "modality",
  "bodyPart", "model", "status", "warnings", "from", "to"];
// Window/level presets for CT (HU), as the plane images take them.
const CT_WINDOWS = { "soft tissue": [400, 40], "liver": [150, 70], "lung": [1500, -600], "bone": [1800, 400] };
// Slider moves fetch a slice once the slider has rested this long (each slice read is an audited API call).
const SLIDER_REST_MS = 120;
let planeUrls = [];
// Each refresh gets a number; an answer to an older one (a slow auto-refresh overtaken by a click) is dropped.
let lastRequest = 0;

async function api(path, accept = "application/json") {
  const response = await fetch(path, { headers: { ...authHeaders(), "Accept": accept } });
  if (response.status === 401) {
    signOut("Sign-in failed or expired: user or password not accepted.");
    throw new Error("not signed in");
  }
  if (response.status === 403) throw new Error("Your role may not read " + path);
  if (!response.ok) throw new Error(path + " answered " + response.status);
  return accept === "application/json" ? response.json() : response.blob();
}

function element(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) tr.appendChild(c instanceof Node ? c : element("td", c));
  return tr;
}

function cell(text, className) {
  return element("td", text, className);
}

function time(instant) {
  return instant ? new Date(instant).toLocaleString() : "";
}

// What did not stop a job but a reader of its SEG should know: one line each, in the words the gateway recorded.
function warningsCell(job) {
  const td = element("td", null, "warnings");
  const warnings = job.warnings || [];
  if (warnings.length === 0) return td;
  const list = td.appendChild(element("ul"));
  for (const w of warnings) list.appendChild(element("li", (w.stage === "seg" ? "SEG: " : "Volume: ") + w.message));
  return td;
}

function pageSize() {
  return Number($("page-size").value);
}

function query() {
  const q = new URLSearchParams({ page: String(page), size: String(pageSize()) });
  for (const name of FILTERS) {
    const value = $(name).value.trim();
    if (value) q.set(name, value);
  }
  if (sort) q.set("sort", sort);
  return q;
}

// Header clicks: a first click sorts by the column ascending, the next descending, and so on.
function sortBy(column) {
  sort = sort === column ? "-" + column : column;
  page = 0;
  showSort();
  refresh();
}

function showSort() {
  for (const th of $("studies").tHead.querySelectorAll("th[data-sort]")) {
    const column = th.dataset.sort;
    th.classList.toggle("sorted-ascending", sort === column);
    th.classList.toggle("sorted-descending", sort === "-" + column);
    th.setAttribute("aria-sort", sort === column ? "ascending" : sort === "-" + column ? "descending" : "none");
  }
}

function viewerLink(study) {
  if (!study.viewerUrl) return cell("");
  const td = element("td");
  const a = td.appendChild(element("a", "Open", "viewer-link"));
  a.href = study.viewerUrl;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.addEventListener("click", event => event.stopPropagation());
  return td;
}

function warningsSummary(study) {
  const warnings = study.warnings || [];
  const td = cell(warnings.length === 0 ? "" : "\u26a0 " + warnings.join("; "), "warning-count");
  return td;
}

function showPaging(answer) {
  const first = answer.page * answer.size;
  $("total").textContent = answer.studies.length === 0 ? answer.total + " studies"
      : "studies " + (first + 1) + "\u2013" + (first + answer.studies.length) + " of " + answer.total;
  $("previous").disabled = answer.page === 0;
  $("next").disabled = first + answer.studies.length >= answer.total;
}

async function refresh() {
  if (!isSignedIn()) return;
  const request = ++lastRequest;
  try {
    let answer = await api("/api/studies?" + query());
    if (request !== lastRequest) return;
    if (answer.studies.length === 0 && page > 0 && answer.total > 0) {
      // fewer studies than before (a filter, or studies gone): show the last page there is
      page = Math.floor((answer.total - 1) / pageSize());
      answer = await api("/api/studies?" + query());
      if (request !== lastRequest) return;
    }
    const body = $("studies").tBodies[0];
    body.replaceChildren(...answer.studies.map(study => {
      const tr = row([study.patientName || "", study.patientId || "", study.accessionNumber || "", study.studyDate || "",
        study.studyDescription || "", (study.modalities || []).join(", "), (study.bodyParts || []).join(", "),
        cell(study.status, "status status-" + study.status), time(study.statusChanged), (study.models || []).join(", "),
        cell(study.measurementSummary || "", "measurements"), warningsSummary(study), time(study.firstReceived),
        viewerLink(study)]);
      tr.dataset.studyUid = study.studyInstanceUid;
      if (study.studyInstanceUid === openStudy) tr.classList.add("selected");
      tr.addEventListener("click", () => showStudy(study.studyInstanceUid));
      return tr;
    }));
    showPaging(answer);
    $("refreshed").textContent = "updated " + new Date().toLocaleTimeString();
    $("error").textContent = "";
  } catch (e) {
    if (request === lastRequest) $("error").textContent = e.message;
  }
}

function table(headers, rows) {
  const t = element("table");
  t.appendChild(element("thead")).appendChild(row(headers.map(h => element("th", h))));
  const body = t.appendChild(element("tbody"));
  rows.forEach(r => body.appendChild(r));
  return t;
}

function number(value, digits) {
  return value === undefined || value === null ? "" : value.toFixed(digits);
}

// Per segment of a result: what the gateway measured on the source grid.
function measurementsTable(result) {
  const units = (result.measurements.find(m => m.units) || {}).units || "";
  return table(["Segment", "Volume (mL)", "Mean " + units, "Min", "Max", "Components"],
      result.measurements.map(m => row([m.label, number(m.volumeMl, 1), number(m.mean, 1), number(m.min, 0),
        number(m.max, 0), String(m.components)])));
}

function deliveriesTable(result) {
  return table(["Destination", "State", "Attempts", "Delivered", "Next attempt", "Last error"],
      result.deliveries.map(d => row([d.destination, cell(d.state, "delivery-" + d.state), String(d.attempts),
        time(d.delivered), d.state === "pending" ? time(d.nextAttempt) : "", d.lastError || ""])));
}

// The three planes of a series' latest result, each an image with a slider; CT with a window/level preset.
async function planesViewer(studyUid, series) {
  const base = "/api/studies/" + encodeURIComponent(studyUid) + "/series/" + encodeURIComponent(series.seriesInstanceUid)
      + "/planes";
  const extents = await api(base);
  const viewer = element("div", null, "planes");
  let windowChoice = null;
  if (extents.ct) {
    const label = viewer.appendChild(element("label", "Window "));
    windowChoice = label.appendChild(element("select", null, "window-preset"));
    for (const name of Object.keys(CT_WINDOWS)) windowChoice.appendChild(element("option", name));
  }
  const redraws = [];
  for (const [plane, extent] of Object.entries(extents.planes)) {
    const panel = viewer.appendChild(element("figure", null, "plane plane-" + plane));
    panel.dataset.plane = plane;
    const img = panel.appendChild(element("img", null, "plane-image"));
    img.alt = plane + " slice of series " + series.seriesInstanceUid;
    const caption = panel.appendChild(element("figcaption"));
    const slider = caption.appendChild(element("input", null, "plane-slider"));
    slider.type = "range";
    slider.min = "0";
    slider.max = String(extent.count - 1);
    slider.value = String(extent.initial);
    slider.setAttribute("aria-label", plane + " slice");
    const position = caption.appendChild(element("span", null, "plane-index muted"));
    let timer = null, drawn = 0;
    const draw = async () => {
      const index = slider.value, request = ++drawn;
      position.textContent = plane + " " + (Number(index) + 1) + " / " + extent.count;
      const q = new URLSearchParams();
      if (windowChoice) {
        const [w, l] = CT_WINDOWS[windowChoice.value];
        q.set("window", String(w));
        q.set("level", String(l));
      }
      try {
        const png = await api(base + "/" + plane + "/" + index + ".png" + (q.size ? "?" + q : ""), "image/png");
        if (request !== drawn) return;
        const url = URL.createObjectURL(png);
        planeUrls.push(url);
        const old = img.src;
        img.src = url;
        img.dataset.index = index;
        if (old.startsWith("blob:")) { URL.revokeObjectURL(old); planeUrls = planeUrls.filter(u => u !== old); }
      } catch (e) {
        $("error").textContent = e.message;
      }
    };
    slider.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(draw, SLIDER_REST_MS); });
    redraws.push(draw);
  }
  if (windowChoice) windowChoice.addEventListener("change", () => redraws.forEach(d => d()));
  await Promise.all(redraws.map(d => d()));
  return viewer;
}

async function showStudy(studyUid) {
  openStudy = studyUid;
  for (const tr of $("studies").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.studyUid === studyUid);
  try {
    const study = await api("/api/studies/" + encodeURIComponent(studyUid));
    thumbnailUrls.forEach(URL.revokeObjectURL);
    thumbnailUrls = [];
    planeUrls.forEach(URL.revokeObjectURL);
    planeUrls = [];
    $("detail-uid").textContent = study.studyInstanceUid;
    const link = $("detail-viewer");
    link.hidden = !study.viewerUrl;
    if (study.viewerUrl) link.href = study.viewerUrl; else link.removeAttribute("href");
    const body = $("detail-body");
    body.replaceChildren(element("p", (study.patientName || "-") + " · patient ID " + (study.patientId || "-")
        + " · accession " + (study.accessionNumber || "-") + " · study date " + (study.studyDate || "-")
        + " · " + (study.studyDescription || "") + " · status " + study.status + " · received " + time(study.firstReceived),
        "study-header"));
    for (const series of study.series) {
      const part = body.appendChild(element("div", null, "series"));
      part.dataset.seriesUid = series.seriesInstanceUid;
      part.appendChild(element("h3", (series.modality || "?") + " series " + (series.seriesDescription || "")));
      part.appendChild(element("p", "UID " + series.seriesInstanceUid + " · " + series.instanceCount + " instances · "
          + series.state + " · version " + series.version, "uid"));
      part.appendChild(table(["Job", "Model", "State", "Reason", "Warnings", "Finished", "SEG SOP Instance UID", "SEG Series UID", "Deliveries"],
          series.jobs.map(j => row([cell(j.id, "uid"), j.model ? (j.model.name || j.model.packageReference) + " " + (j.model.version || "") : "",
            j.state, j.reason || "", warningsCell(j), time(j.timings && j.timings.finished),
            cell(j.result ? j.result.segSopInstanceUid : "", "uid seg-sop"), cell(j.result ? j.result.segSeriesInstanceUid : "", "uid"),
            j.result ? j.result.deliveries.map(d => d.destination + ": " + d.state + (d.lastError ? " (" + d.lastError + ")" : "")).join(", ") : ""]))));
      const latest = series.jobs.find(j => j.result);
      if (latest) {
        if (latest.result.measurements && latest.result.measurements.length > 0) {
          part.appendChild(element("h4", "Measurements"));
          part.appendChild(measurementsTable(latest.result)).classList.add("measurements-table");
        }
        part.appendChild(element("h4", "Delivery"));
        part.appendChild(deliveriesTable(latest.result)).classList.add("deliveries-table");
        // pictures need the series in the spool: once retention has deleted it, say so and show the rest
        try {
          const img = part.appendChild(element("img", null, "thumbnail"));
          img.alt = "thumbnail of series " + series.seriesInstanceUid;
          const png = await api("/api/studies/" + encodeURIComponent(studyUid) + "/series/"
              + encodeURIComponent(series.seriesInstanceUid) + "/thumbnail.png", "image/png");
          const url = URL.createObjectURL(png);
          thumbnailUrls.push(url);
          img.src = url;
          part.appendChild(await planesViewer(studyUid, series));
        } catch (e) {
          if (e.message === "not signed in") throw e;
          part.appendChild(element("p", "No pictures of this series: " + e.message
              + " (its images may have left the spool; the SEG is at the PACS).", "error pictures-unavailable"));
        }
      }
    }
    $("detail").hidden = false;
    $("error").textContent = "";
  } catch (e) {
    $("error").textContent = e.message;
  }
}

$("filters").addEventListener("submit", event => { event.preventDefault(); page = 0; refresh(); });
$("previous").addEventListener("click", () => { page = Math.max(0, page - 1); refresh(); });
$("next").addEventListener("click", () => { page++; refresh(); });
$("page-size").addEventListener("change", () => { page = 0; refresh(); });
for (const th of $("studies").tHead.querySelectorAll("th[data-sort]"))
  th.addEventListener("click", () => sortBy(th.dataset.sort));
$("close-detail").addEventListener("click", () => {
  openStudy = null;
  $("detail").hidden = true;
  refresh();
});
setInterval(refresh, REFRESH_MS);
