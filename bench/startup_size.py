"""Start-up size of the extension's JavaScript: what JupyterLab loads before any panel opens, gzip-compressed.

Run after a production build (``jlpm build:prod``)::

    python bench/startup_size.py [path/to/labextension/static]

Method. A prebuilt JupyterLab extension is a webpack module-federation container. At start JupyterLab loads
``remoteEntry.<hash>.js`` and then asks the container for two exposed modules: ``./extension`` (the plugins,
because ``package.json`` has ``jupyterlab.extension: true``) and ``./style`` (``styleModule``). The script reads
the container's module map in ``remoteEntry`` to find the chunk ids each of those two modules loads, maps ids to
file names with the container's chunk-file table (``__webpack_require__.u``), and adds the chunks of shared
modules those chunks consume with a local fallback (singletons such as ``@jupyterlab/*`` or React come from
JupyterLab itself and cost nothing). That set is the start-up cost. Every other file is lazy; the script groups
the lazy files by the ``import()`` calls of the start-up chunks (a group is the chunks one ``import()`` loads,
with the fallbacks of their shared modules) and names each group by a marker string in it.

Sizes are gzip level 6 (Tornado's compression level). The target is <= 60 KB at start, without the AWS SDK; the
script also checks that no start-up file contains code of the SDK clients (markers below) while the lazy files do.
In AWS mode the status bar additionally loads the tiny STS client at start (to show the account id); its group is
printed separately.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

TARGET_BYTES = 60 * 1024
#: Strings only the AWS SDK clients contain (user agent prefix and header the SDK's middleware sets).
SDK_MARKERS = ("aws-sdk-js", "x-amz-user-agent")
#: Strings that name a lazy group.
GROUP_LABELS = (
    ("GetCallerIdentity", "STS identity (loaded at start in AWS mode only)"),
    ("BatchGetMetrics", "sagemaker-metrics client"),
    ("configCache", "registry endpoint calls (+ SageMaker SDK)"),
    ("ListEndpoints", "SageMaker SDK client"),
    ("forcePathStyle", "S3 SDK client"),
)


def gzip_size(data: bytes) -> int:
    """Size of ``data`` compressed with gzip at level 6."""
    return len(gzip.compress(data, compresslevel=6))


class Container:
    """The parts of a minified module-federation ``remoteEntry`` the measurement needs."""

    def __init__(self, static: Path) -> None:
        entries = sorted(static.glob("remoteEntry.*.js"))
        if not entries:
            raise SystemExit(f"No remoteEntry.*.js in {static}; run `jlpm build:prod` first.")
        self.static = static
        self.entry = entries[0]
        self.text = self.entry.read_text()
        self.files = self._chunk_files()
        self.consumes = self._consumes()
        self.fallbacks = self._fallbacks()

    def exposed_chunks(self, name: str) -> list[str]:
        """Chunk ids loaded by the exposed module ``name`` (e.g. ``./extension``)."""
        match = re.search(re.escape(f'"{name}"') + r":\(\)=>(.*?)(?=,\"\./|\},\w=\(|\};)", self.text)
        if not match:
            raise SystemExit(f"Exposed module {name} not found in {self.entry.name}.")
        return re.findall(r"\.e\(\"?([\w-]+)\"?\)", match.group(1))

    def closure(self, chunk_ids: list[str]) -> set[str]:
        """Chunk ids plus, recursively, the fallback chunks of shared modules they consume."""
        todo, seen = list(chunk_ids), set()
        while todo:
            cid = todo.pop()
            if cid in seen:
                continue
            seen.add(cid)
            for consume in self.consumes.get(cid, []):
                todo.extend(self.fallbacks.get(consume, []))
        return seen

    def paths(self, chunk_ids: set[str]) -> set[Path]:
        """Files of the chunks that have one (consume-only chunks have none)."""
        return {self.static / self.files[c] for c in chunk_ids if c in self.files}

    def _chunk_files(self) -> dict[str, str]:
        match = re.search(r"\.u=\w+=>\w+\+\"\.\"\+(\{[^}]*\})", self.text)
        if not match:
            raise SystemExit("Chunk file table not found; is this a production build?")
        table = dict(re.findall(r"\"?([\w-]+)\"?:\"([0-9a-f]+)\"", match.group(1)))
        return {cid: f"{cid}.{digest}.js" for cid, digest in table.items()}

    def _consumes(self) -> dict[str, list[str]]:
        """Chunk id -> ids of consumed shared modules (the ``r.f.consumes`` mapping)."""
        var = re.search(r"\.f\.consumes=\(\w+,\w+\)=>\{\w+\.o\((\w+),", self.text)
        if not var:
            return {}
        table = re.search(r"[,;{]" + var.group(1) + r"=(\{[^}]*\})", self.text)
        result: dict[str, list[str]] = {}
        for cid, ids in re.findall(r"\"?([\w-]+)\"?:\[([^\]]*)\]", table.group(1) if table else ""):
            result[cid] = re.findall(r"\"?([\w/@.-]+)\"?", ids)
        return result

    def _fallbacks(self) -> dict[str, list[str]]:
        """Shared-module id -> chunk ids of this container's own copy (its fallback), if it has one."""
        result: dict[str, list[str]] = {}
        pattern = r"(\d+):\(\)=>\w\(\"default\",(\"[^\"]+\",[^)]*\)?[^}]*?)(?=,\d+:\(\)=>|\},\w=\{)"
        for mid, body in re.findall(pattern, self.text):
            fallback = body.split(",()=>", 1)
            if len(fallback) == 2:
                result[mid] = re.findall(r"\.e\((\d+)\)", fallback[1])
        return result


def lazy_groups(container: Container, eager: set[Path]) -> list[tuple[str, set[Path]]]:
    """The file groups the start-up chunks load with ``import()``."""
    groups: dict[frozenset[Path], str] = {}
    # remoteEntry only registers lazy factories of shared modules; the import() calls live in the plugin chunks.
    for path in sorted(eager - {container.entry}):
        text = path.read_text()
        for call in re.findall(r"Promise\.all\(\[([^\]]*)\]\)\.then|\w\.e\((\d+)\)\.then", text):
            ids = re.findall(r"\.e\((\d+)\)", call[0]) if call[0] else [call[1]]
            files = frozenset(container.paths(container.closure(ids)) - eager)
            if files and files not in groups:
                groups[files] = label(set(files))
    return [(name, set(files)) for files, name in groups.items()]


def label(files: set[Path]) -> str:
    """Name of a group from the marker strings in its files."""
    text = "".join(f.read_text() for f in files)
    for marker, name in GROUP_LABELS:
        if marker in text:
            return name
    return "other lazy code"


def main() -> None:
    static = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else (Path(__file__).resolve().parents[1] / "jupyterlab_sagemaker_studio" / "labextension" / "static")
    )
    container = Container(static)
    start_chunks = container.exposed_chunks("./extension") + container.exposed_chunks("./style")
    eager = {container.entry} | container.paths(container.closure(start_chunks))
    every = set(static.glob("*.js"))
    lazy = every - eager

    def kb(n: int) -> str:
        return f"{n / 1024:.1f} KB"

    print("Loaded at JupyterLab start (before any panel opens):")
    eager_gz = 0
    for path in sorted(eager):
        data = path.read_bytes()
        eager_gz += gzip_size(data)
        print(f"  {path.name:50} {kb(len(data)):>10} raw {kb(gzip_size(data)):>9} gzip")
    lazy_gz = sum(gzip_size(p.read_bytes()) for p in lazy)
    print(f"  {'total':50} {'':>10}     {kb(eager_gz):>9} gzip   (target <= {kb(TARGET_BYTES)})")
    print(f"Loaded on first use: {len(lazy)} files, {kb(lazy_gz)} gzip in total")
    for name, files in lazy_groups(container, eager):
        size = sum(gzip_size(f.read_bytes()) for f in files)
        print(f"  {name:50} {kb(size):>9} gzip ({len(files)} files)")

    sdk_at_start = [p.name for p in eager - {container.entry} if any(m in p.read_text() for m in SDK_MARKERS)]
    sdk_lazy = [p.name for p in lazy if any(m in p.read_text() for m in SDK_MARKERS)]
    print(f"SDK client code at start: {'NONE' if not sdk_at_start else ', '.join(sdk_at_start)}")
    print(f"SDK client code in lazy files: {', '.join(sorted(sdk_lazy)) or 'not found (markers out of date?)'}")
    ok = eager_gz <= TARGET_BYTES and not sdk_at_start and bool(sdk_lazy)
    print("Result:", "within target" if ok else "OUT OF TARGET")


if __name__ == "__main__":
    main()
