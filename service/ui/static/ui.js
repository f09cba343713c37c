// newsmeta viewer. No dependencies, nothing fetched from anywhere but this service.
"use strict";

const KEY = "newsmeta.key";  // sessionStorage only: gone when the tab closes

function authHeaders() {
  const key = sessionStorage.getItem(KEY);
  return key ? { "Authorization": "Bearer " + key } : {};
}

class NeedKey extends Error {}

async function call(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { ...authHeaders(), ...(options.headers || {}) },
  });
  if (response.status === 401 || response.status === 403) {
    askForKey(await problemDetail(response));
    throw new NeedKey();
  }
  return response;
}

async function problemDetail(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || String(response.status);
  } catch (_) {
    return `HTTP ${response.status}`;
  }
}

let retry = null;  // what to run again once a key is given

function askForKey(message) {
  const form = document.getElementById("key-form");
  document.getElementById("key-message").textContent = message;
  form.hidden = false;
  document.getElementById("key-input").focus();
}

function setUpKey() {
  const form = document.getElementById("key-form");
  const forget = document.getElementById("forget-key");
  forget.hidden = !sessionStorage.getItem(KEY);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("key-input");
    sessionStorage.setItem(KEY, input.value.trim());
    input.value = "";
    form.hidden = true;
    forget.hidden = false;
    if (retry) retry();
  });
  forget.addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    forget.hidden = true;
    location.reload();
  });
}

// ---- /ui: recent articles and the paste box ----

async function loadList() {
  const status = document.getElementById("list-status");
  const table = document.getElementById("articles");
  let page;
  try {
    const response = await call("/v1/articles?limit=50");
    if (!response.ok) {
      status.textContent = await problemDetail(response);
      return;
    }
    page = await response.json();
  } catch (error) {
    if (!(error instanceof NeedKey)) status.textContent = String(error);
    return;
  }
  const body = table.querySelector("tbody");
  body.replaceChildren();
  for (const a of page.items) {
    const row = document.createElement("tr");
    const link = document.createElement("a");
    link.href = `/ui/articles/${a.id}`;
    link.textContent = a.title || `Untitled (${a.id.slice(0, 8)})`;
    const first = document.createElement("td");
    first.append(link);
    row.append(first);
    for (const value of [a.outlet, a.published_at, a.status, a.created_at.slice(0, 19).replace("T", " ")]) {
      const cell = document.createElement("td");
      cell.textContent = value || "—";
      row.append(cell);
    }
    body.append(row);
  }
  status.textContent = page.items.length ? `${page.items.length} most recent` : "No articles yet.";
  table.hidden = !page.items.length;
}

function setUpPaste() {
  const form = document.getElementById("paste-form");
  const status = document.getElementById("paste-status");
  const submit = async () => {
    const text = document.getElementById("paste-text").value;
    status.textContent = "Processing…";
    try {
      const response = await call("/v1/articles", {
        method: "POST",
        headers: { "Content-Type": "text/plain; charset=utf-8", "Prefer": "wait=30" },
        body: text,
      });
      if (!response.ok) {
        status.textContent = await problemDetail(response);
        return;
      }
      const article = await response.json();
      location.assign(`/ui/articles/${article.id}`);
    } catch (error) {
      if (!(error instanceof NeedKey)) status.textContent = String(error);
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    retry = submit;
    submit();
  });
}

// ---- /ui/articles/{id}: the marked text and the lists ----

async function loadArticle() {
  const id = document.body.dataset.articleId;
  const status = document.getElementById("view-status");
  const view = document.getElementById("view");
  let response;
  try {
    response = await call(`/ui/articles/${id}/fragment`);
  } catch (error) {
    if (!(error instanceof NeedKey)) status.textContent = String(error);
    return;
  }
  if (!response.ok) {
    status.textContent = await problemDetail(response);
    return;
  }
  // Our own server-rendered, escaped HTML (see service/ui/templates/fragment.html).
  view.innerHTML = await response.text();
  const article = view.querySelector(".article");
  const state = article.dataset.status;
  if (state === "queued" || state === "processing") {
    status.textContent = `Article is ${state}…`;
    setTimeout(loadArticle, 1000);
    return;
  }
  status.textContent = "";
  status.hidden = true;
  wireUp(view);
  document.body.dataset.ready = "true";
}

const SELECTORS = ["data-entity-id", "data-event-id", "data-statement"];

function target(element) {
  return element && element.closest && element.closest("[data-entity-id],[data-event-id],[data-statement]");
}

function related(element) {
  // What lights up with this element: an entity's mentions and its quotes; an event's
  // trigger; a statement's quote. In the text and in the lists.
  const view = document.getElementById("view");
  for (const name of SELECTORS) {
    const value = element.getAttribute(name);
    if (value === null) continue;
    const found = [...view.querySelectorAll(`[${name}="${CSS.escape(value)}"]`)];
    if (name === "data-entity-id") {
      found.push(...view.querySelectorAll(`[data-speaker-id="${CSS.escape(value)}"]`));
    }
    return found;
  }
  return [];
}

function wireUp(view) {
  let pinned = null;
  const light = (element) => {
    view.querySelectorAll(".lit").forEach((e) => e.classList.remove("lit"));
    if (element) related(element).forEach((e) => e.classList.add("lit"));
  };
  const hover = (event) => light(target(event.target) || pinned);
  view.addEventListener("mouseover", hover);
  view.addEventListener("focusin", hover);
  view.addEventListener("mouseleave", () => light(pinned));
  const choose = (element) => {
    pinned = pinned === element ? null : element;
    light(pinned);
    if (pinned && pinned.tagName === "LI") {
      const first = related(pinned).find((e) => e.tagName === "MARK");
      if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  };
  view.addEventListener("click", (event) => {
    const element = target(event.target);
    if (element) choose(element);
  });
  view.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const element = target(event.target);
    if (element && element === event.target) {
      event.preventDefault();
      choose(element);
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpKey();
  const page = document.body.dataset.page;
  if (page === "index") {
    setUpPaste();
    retry = loadList;
    loadList();
  } else if (page === "article") {
    retry = loadArticle;
    loadArticle();
  }
});
