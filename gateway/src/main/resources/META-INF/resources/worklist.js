// The worklist page: studies from GET /api/studies, a page at a time, refreshed every 10 s, and one study's detail
// with the thumbnail of each series' latest result. Signing in and out: signin.js.
"use strict";

const REFRESH_MS = 10000;
const $ = id => document.getElementById(id);
let openStudy = null;
let thumbnailUrls = [];
let page = 0;
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

function latestJobs(study) {
  return study.series.map(s => s.jobs[0]).filter(j => j);
}

function models(study) {
  const names = new Set(latestJobs(study).filter(j => j.model)
      .map(j => j.model.name ? j.model.name + " " + (j.model.version || "") : j.model.packageReference));
  return [...names].join(", ");
}

function segStatus(study) {
  const states = [];
  for (const job of latestJobs(study)) {
    if (!job.result) { states.push(job.state); continue; }
    const deliveries = job.result.deliveries || [];
    states.push(deliveries.length === 0 ? "stored" : deliveries.map(d => d.destination + ": " + d.state).join(", "));
  }
  return states.join("; ");
}

function warningCount(study) {
  return latestJobs(study).reduce((n, job) => n + (job.warnings || []).length, 0);
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
  for (const name of ["from", "to", "status", "accession"]) {
    const value = $(name).value.trim();
    if (value) q.set(name, value);
  }
  return q;
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
      const warnings = warningCount(study);
      const status = cell(study.status, "status-" + study.status);
      if (warnings > 0) status.appendChild(element("span", " \u26a0 " + warnings + " warning" + (warnings === 1 ? "" : "s"), "warning-count"));
      const tr = row([time(study.firstReceived), study.accessionNumber || "", study.patientId || "",
        cell(study.studyInstanceUid, "uid"), status, models(study), segStatus(study)]);
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

async function showStudy(studyUid) {
  openStudy = studyUid;
  for (const tr of $("studies").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.studyUid === studyUid);
  try {
    const study = await api("/api/studies/" + encodeURIComponent(studyUid));
    thumbnailUrls.forEach(URL.revokeObjectURL);
    thumbnailUrls = [];
    $("detail-uid").textContent = study.studyInstanceUid;
    const body = $("detail-body");
    body.replaceChildren(element("p", "Accession " + (study.accessionNumber || "-") + " · patient ID " + (study.patientId || "-")
        + " · status " + study.status + " · received " + time(study.firstReceived)));
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
      if (series.jobs.some(j => j.result)) {
        const img = part.appendChild(element("img", null, "thumbnail"));
        img.alt = "thumbnail of series " + series.seriesInstanceUid;
        const png = await api("/api/studies/" + encodeURIComponent(studyUid) + "/series/"
            + encodeURIComponent(series.seriesInstanceUid) + "/thumbnail.png", "image/png");
        const url = URL.createObjectURL(png);
        thumbnailUrls.push(url);
        img.src = url;
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
$("close-detail").addEventListener("click", () => {
  openStudy = null;
  $("detail").hidden = true;
  refresh();
});
setInterval(refresh, REFRESH_MS);
