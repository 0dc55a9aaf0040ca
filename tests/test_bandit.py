"""bandit finds no security issue of medium severity or above in Essor's code; each exemption
names its check and says why (listed in docs/security.md)."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["accelerator", "applications", "cms", "workers", "scripts"]
EXCLUDED = "*/migrations/*,*/tests/*"
# An exemption is `# nosec B310 # why`: the check's id, then the reason.
EXEMPTION = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
WELL_FORMED = re.compile(r"^\s+B\d{3}(,\s*B\d{3})*\s+#\s*\S.*$")


def test_bandit_finds_nothing_of_medium_severity_or_above():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", *PACKAGES, "-x", EXCLUDED]
        + ["--severity-level", "medium", "--format", "json", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stdout)
    findings = [
        f"{issue['filename']}:{issue['line_number']} {issue['test_id']} {issue['issue_text']}"
        for issue in report["results"]
    ]
    assert findings == []
    assert report["errors"] == []
    assert result.returncode == 0, result.stderr


def test_every_exemption_names_its_check_and_says_why():
    loose = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                match = EXEMPTION.search(line)
                if match and not WELL_FORMED.match(match["rest"]):
                    loose.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert loose == []
