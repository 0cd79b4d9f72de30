"""The wheel carries the top-level styles/ and the code finds them from a checkout and from a wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from orch_tui.resources import styles_dir, stylesheets

ROOT = Path(__file__).resolve().parents[1]


def test_styles_found_in_checkout() -> None:
    assert styles_dir() == ROOT / "styles"
    assert any(p.name == "app.tcss" for p in stylesheets())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = out.glob("orch_tui-*.whl")
    return found


def test_wheel_contains_styles_and_finds_them(wheel: Path, tmp_path: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(n).name for n in names if n.startswith("orch_tui/styles/")}
    assert shipped == {p.name for p in stylesheets()}
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(tmp_path / "site")
    code = "from orch_tui.resources import styles_dir; print(styles_dir())"
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); {code}"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == tmp_path / "site" / "orch_tui" / "styles"
