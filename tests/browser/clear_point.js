// Client coordinates of a point on an SVG shape (or the first shape inside a group) where a
// click lands on that element and not on a neighbour drawn across it; null if there is none.
// Read as a string by conftest.py and lite_site.py (CLEAR_POINT_JS) for page.evaluate.
(element) => {
  const shape = element instanceof SVGGeometryElement
    ? element : element.querySelector('path, line, polyline, circle, rect, ellipse');
  const length = shape.getTotalLength();
  const matrix = shape.getScreenCTM();
  for (const t of [0.5, 0.35, 0.65, 0.25, 0.75, 0.15, 0.85]) {
    const p = shape.getPointAtLength(length * t);
    const x = matrix.a * p.x + matrix.c * p.y + matrix.e;
    const y = matrix.b * p.x + matrix.d * p.y + matrix.f;
    const hit = document.elementFromPoint(x, y);
    if (hit && (hit === element || element.contains(hit))) return { x, y };
  }
  return null;
}
