"""The addon as users of OCA addons get it: a wheel built with whool, installed
with pip into a clean Python env, then installed from there into a fresh
database, and served.

The clean env gets Odoo and the third-party libraries it needs from the
project's env (read-only, through a .pth file and a folder of symlinks) but no
Odoo addon: iso10002_complaints and helpdesk_mgmt come only from pip
installing the built wheel and the dependencies it declares.
"""

import ast
import importlib.util
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest
from e2e_helpers import (
    ROOT,
    assert_clean_log,
    db_fetch,
    drop_database,
    odoo_config,
    run_odoo,
    running_server,
    scratch_db,
)

ADDON = "iso10002_complaints"
DB = scratch_db("wheel")
# the Odoo series of this branch, e.g. 19.0, from the manifest's version
SERIES = ".".join(
    ast.literal_eval((ROOT / ADDON / "__manifest__.py").read_text())["version"].split(
        "."
    )[:2]
)
# never shared from the project's env: the clean env has its own installer
OWN = ("pip", "setuptools", "_distutils_hack", "wheel", "__pycache__")


def _run(*args, **kwargs):
    result = subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=kwargs.pop("timeout", 900),
        check=False,
        **kwargs,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return result.stdout + result.stderr


def _addons_of_wheels(site):
    """Addons that OCA wheels (odoo-addon-*) put into this site-packages."""
    names = set()
    for record in site.glob("odoo_addon_*.dist-info/RECORD"):
        for line in record.read_text().splitlines():
            parts = line.split(",", 1)[0].split("/")
            if parts[:2] == ["odoo", "addons"] and len(parts) > 2:
                names.add(parts[2])
    return names


def _share_libraries(site, farm):
    """Symlink the project env's libraries into `farm`, leaving out addons
    installed from wheels (and the installer). Returns the extra sys.path
    entries that the project env's own .pth files add (an editable Odoo)."""
    farm.mkdir()
    addons = _addons_of_wheels(site)
    for entry in site.iterdir():
        name = entry.name
        if (
            name.startswith(OWN)
            or name.startswith("odoo_addon_")
            or name.endswith(".pth")
        ):
            continue
        if name == "odoo":
            # Odoo installed into the env (or the addons namespace of wheels):
            # share it, minus the addons that wheels installed
            (farm / "odoo").mkdir()
            for sub in entry.iterdir():
                if sub.name != "addons":
                    (farm / "odoo" / sub.name).symlink_to(sub)
            (farm / "odoo" / "addons").mkdir()
            for addon in (entry / "addons").iterdir():
                if addon.name not in addons:
                    (farm / "odoo" / "addons" / addon.name).symlink_to(addon)
            continue
        (farm / name).symlink_to(entry)
    paths = []
    for pth in site.glob("*.pth"):
        for line in pth.read_text().splitlines():
            if line and not line.startswith(("#", "import")) and Path(line).is_dir():
                paths.append(line)
    return paths


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        ROOT / ADDON,
        "-w",
        dist,
    )
    (built,) = dist.glob(f"odoo_addon_iso10002_complaints-{SERIES}.*.whl")
    return built


@pytest.fixture(scope="module")
def clean_env(tmp_path_factory, wheel):
    home = tmp_path_factory.mktemp("clean")
    base = getattr(sys, "_base_executable", sys.executable)
    _run(base, "-m", "venv", home / "venv")
    python = home / "venv" / "bin" / "python"
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
        .strip()
        .splitlines()[-1]
    )
    project_site = Path(sysconfig.get_paths()["purelib"])
    extra = _share_libraries(project_site, home / "libraries")
    (site / "project_libraries.pth").write_text(
        "\n".join([str(home / "libraries"), *extra]) + "\n"
    )
    # the addon's runtime dependency at the version the project pins
    constraints = home / "constraints.txt"
    constraints.write_text((ROOT / "requirements.txt").read_text())
    _run(
        python,
        "-m",
        "pip",
        "install",
        "--no-input",
        "--disable-pip-version-check",
        "-c",
        constraints,
        wheel,
    )
    return python, site


def test_wheel_metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        text = archive.read(metadata).decode()
    assert "Name: odoo-addon-iso10002_complaints" in text
    assert f"Requires-Dist: odoo-addon-helpdesk_mgmt=={SERIES}.*" in text
    assert f"Requires-Dist: odoo=={SERIES}.*" in text
    assert "License: AGPL-3" in text
    # the addon's data, translations, reports and assets are in the wheel
    for path in (
        "__manifest__.py",
        "i18n/iso10002_complaints.pot",
        "i18n/zh_CN.po",
        "i18n/zh_TW.po",
        "i18n/vi.po",
        "static/description/icon.png",
        "static/description/index.html",
        "data/iso10002_complaint_category_data.xml",
        "report/iso10002_report_templates.xml",
    ):
        assert f"odoo/addons/{ADDON}/{path}" in names, path


def test_install_from_wheel_into_fresh_database(clean_env, tmp_path):
    python, site = clean_env
    # both addons come from what pip installed into the clean env
    for addon in (ADDON, "helpdesk_mgmt"):
        assert (site / "odoo" / "addons" / addon / "__manifest__.py").is_file(), addon
    located = _run(
        python,
        "-c",
        "from importlib.util import find_spec as f;"
        f"print(f('odoo.addons.{ADDON}').origin);"
        "print(f('odoo.addons.helpdesk_mgmt').origin)",
    )
    assert located.count(str(site)) == 2, located
    # Odoo's own addons (mail, portal...) from its source tree; not the clone
    # (odoo is a namespace package on 19.0: its release module is in the tree)
    odoo_root = Path(importlib.util.find_spec("odoo.release").origin).parent.parent
    addons_path = [str(p) for p in (odoo_root / "addons",) if p.is_dir()]
    extra = [f"--addons-path={','.join(addons_path)}"] if addons_path else []
    config = odoo_config()
    drop_database(config, DB)
    try:
        code, output = run_odoo(
            config,
            DB,
            "-i",
            ADDON,
            "--stop-after-init",
            *extra,
            python=python,
        )
        assert code == 0, output[-4000:]
        assert_clean_log(output)
        log = tmp_path / "odoo.log"
        with running_server(config, DB, log, python=str(python), extra=extra) as url:
            reply = urllib.request.urlopen(f"{url}/complaints", timeout=60)
            with reply:
                page = reply.read().decode()
                assert reply.status == 200
        assert "How to complain to" in page
        manifest = ast.literal_eval((ROOT / ADDON / "__manifest__.py").read_text())
        assert db_fetch(
            config,
            DB,
            "SELECT state, latest_version FROM ir_module_module WHERE name = %s",
            [ADDON],
        ) == [("installed", manifest["version"])]
    finally:
        drop_database(config, DB)
