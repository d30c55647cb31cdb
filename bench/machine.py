"""The machine a benchmark ran on, recorded beside its figures."""

import contextlib
import os
import platform
from pathlib import Path


def _proc_field(path, prefix):
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    return None


def machine(**extra):
    """CPU, cores, memory, Python, kernel and load average, and any ``extra`` fields
    (library versions, limits) the benchmark wants on record."""
    mem_kb = _proc_field("/proc/meminfo", "MemTotal")
    info = {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": round(int(mem_kb.split()[0]) / 1024 / 1024, 1) if mem_kb else None,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
    info.update(extra)
    return info
