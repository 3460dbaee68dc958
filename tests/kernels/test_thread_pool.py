"""The shared C++ thread pool on its own (csrc/thread_pool.cc has no XLA dependency), built with
ThreadSanitizer: concurrent ParallelFor callers and a throwing task, free of data races."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("g++") is None, reason="needs g++")
def test_pool_under_thread_sanitizer(tmp_path):
    binary = tmp_path / "stress"
    build = subprocess.run(
        ["g++", "-std=c++17", "-O1", "-g", "-fsanitize=thread", "-pthread", f"-I{ROOT / 'csrc'}",
         str(Path(__file__).with_name("thread_pool_stress.cc")), str(ROOT / "csrc" / "thread_pool.cc"),
         "-o", str(binary)], capture_output=True, text=True, timeout=300)
    if build.returncode != 0 and "tsan" in build.stderr:
        pytest.skip("this toolchain has no ThreadSanitizer runtime")
    assert build.returncode == 0, build.stderr[-3000:]
    run = subprocess.run([str(binary)], capture_output=True, text=True, timeout=300,
                         env={"TSAN_OPTIONS": "halt_on_error=1"})
    assert run.returncode == 0, run.stderr[-3000:]
    assert "WARNING: ThreadSanitizer" not in run.stderr
    assert run.stdout.split()[1] == str(sum(2000 * (21 + 7 * c) for c in range(4)))
