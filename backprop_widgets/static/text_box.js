// A one-line box (text, or a whole number from min to max) that sends what is typed when Enter
// is pressed or the box is left (Tab, a click elsewhere, a number box's arrows), and otherwise
// shows Python's value, which may answer with another (a refused entry is replaced by the value
// kept). Escape puts Python's value back. A number box clamps to its range, as ipywidgets'
// BoundedIntText does, and puts Python's value back for what is no number.
//
// Why not ipywidgets' Text and IntText: they send on the input's "change" event, and in
// JupyterLite 0.5's notebook Enter never fires one (the page's own key handling takes the key
// first). Listening to Enter on the box itself works in every host.

function render({ model, el }) {
  const whole = model.get("kind") === "integer";
  el.classList.add("jupyter-widgets", "widget-inline-hbox", "widget-text", "bw-text-box");
  const label = html("label", "widget-label", el);
  const input = html("input", "widget-input", el);
  input.type = whole ? "number" : "text";
  if (whole) input.step = "1";
  input.id = `bw-text-${Math.random().toString(36).slice(2)}`;
  label.htmlFor = input.id;

  function draw() {
    const { value, description, placeholder } = traits(model, "value", "description", "placeholder");
    label.textContent = description;
    label.title = description;
    label.style.display = description ? "" : "none";
    label.style.width = model.get("description_width");
    input.placeholder = placeholder;
    if (whole) {
      input.min = String(model.get("min"));
      input.max = String(model.get("max"));
    }
    input.value = String(value);
  }

  // What the box holds, as Python's trait takes it; null for no number.
  function typed() {
    if (!whole) return input.value;
    const n = Math.round(Number(input.value));
    if (input.value.trim() === "" || !Number.isFinite(n)) return null;
    return Math.min(model.get("max"), Math.max(model.get("min"), n));
  }

  function send() {
    const value = typed();
    if (value === null || value === model.get("value")) {
      draw();
      return;
    }
    model.set("value", value);
    model.save_changes();
    draw();
  }

  input.addEventListener("keydown", (event) => {
    // The notebook's shortcuts (Enter, Escape, letters) stay out of a box being typed in.
    event.stopPropagation();
    if (event.key === "Enter") {
      event.preventDefault();
      send();
    } else if (event.key === "Escape") {
      draw();
    }
  });
  input.addEventListener("change", send);
  for (const name of ["value", "description", "description_width", "placeholder", "min", "max"]) {
    model.on(`change:${name}`, draw);
  }
  draw();
}

export default { render };
