"""Reporting clauses: does the public learn how ALPR is used, and is the policy published?

Cues:
- ``reporting.public_figures``: usage figures made public (a public report, log or
  dashboard with numbers of scans, hits, searches; a portal's "Searches in the last 30
  days" followed by a number; a public search audit). The figures may be named in the
  next sentence when it refers back to the report ("The report shall state the number of
  …"); the evidence then runs through that sentence
- ``reporting.public_report``: a periodic report that is public, figures not stated
- ``reporting.policy_published``: the policy itself is posted or linked (not a vendor page),
  or a public transparency page carries the policy's own text (``reporting.policy_text``)
- ``reporting.oversight_report``: a report to a council, board, commission or legislature
- ``reporting.summary``: a periodic summary of use with no stated audience
- ``reporting.internal``: audits, reports or findings memos that go only to command staff

Headings ("VII. AUDITS") are never read as clauses: they name a topic and require nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Finding
from ..prefilter import fast_pattern
from ..registry import register_detector
from .clause import read_clause
from .common import make_finding

if TYPE_CHECKING:
    from ..fields import Field
    from ..segment import Line
    from . import Clause

TRIGGERS = (
    "report", "reports", "reporting", "reported", "annual", "annually", "quarterly", "monthly",
    "publish", "published", "posted", "post", "website", "web site", "homepage", "public",
    "publicly", "transparency", "dashboard", "log", "audit", "audits", "audited", "statistics",
    "searches", "detected", "hits", "council", "commission", "legislature", "link", "policy",
    "summary", "http", "https", "www", "documentation", "committees", "commissioner",
    "directive", "directives", "memo", "memos", "memorandum", "findings",
)  # fmt: skip

_PUBLIC_AUDIT_RE = fast_pattern(r"(?i)\bpublic\s+(?:search\s+)?audit\b")
_PUBLIC_RE = fast_pattern(
    r"(?i)\b(?:public(?:ly)?(?!\s+(?:safety|agenc\w+|records?\s+act|review|roads?|streets?|"
    r"property|places?|databases?|entit\w+))|posted|publish(?:ed|es)?|website|web\s+site|homepage|"
    r"available\s+to\s+(?:the\s+)?(?:public|community|residents))\b"
)
# A memo with an audit's findings is a report too (not a "memorandum of understanding").
_REPORT_RE = fast_pattern(r"(?i)\b(?:reports?|log|logs|dashboard|summary|summaries|statistics|"
                        r"audits?|results|findings|memos?|memorand(?:um|a)\b(?!\s+of\s+"
                        r"(?:understanding|agreement)))\b")  # fmt: skip
_FIGURES_RE = fast_pattern(
    r"(?i)\b(?:number\s+of|how\s+many|total|statistics|counts?|figures|aggregate|plates?\s+"
    r"(?:read|recorded|collected|scanned|captured)|hits|searches|queries|scans|reads|"
    r"requests?\s+(?:received|for\s+data)|agencies\s+(?:given|granted)\s+access|audit\s+results)\b"
)
_PERIODIC_RE = fast_pattern(r"(?i)\b(?:annual(?:ly)?|yearly|each\s+year|every\s+year|quarterly|"
                          r"monthly|semi-?annual\w*|biennial\w*|periodic\w*|regular\s+basis|"
                          r"every\s+(?:\w+\s+)?(?:months?|years?|quarters?))\b")  # fmt: skip
# The names a policy goes by: "this policy", "General Order 4.12", "this directive".
_POLICY_NAME = r"polic(?:y|ies)|procedures?|general\s+orders?|directives?|documentation"
_POLICY_RE = fast_pattern(rf"(?i)\b(?:{_POLICY_NAME}|DGO|manual|this\s+order)\b")
_POSTED_RE = fast_pattern(
    r"(?i)\b(?:posted|published|publish|post|(?:made\s+|is\s+|be\s+)?available\s+(?:on|at|to\s+"
    r"the\s+public)|can\s+be\s+found|found\s+at|(?:on|at)\s+(?:the\s+|our\s+|its\s+)?(?:[\w'’]+\s+){0,3}"
    r"(?:website|web\s+site|homepage|home\s+page|internet))\b"
)
# The agency's own ALPR policy, not any policy ("the then-current Reinstall Policy").
_OWN_POLICY_RE = fast_pattern(
    r"(?i)\b(?:this|the|our|its|[\w]+['’]s|ALPR|LPR|reader|usage|use|privacy|full|complete)\s+"
    rf"(?:[\w()]+\s+){{0,3}}?(?:{_POLICY_NAME})\b|\bthis\s+order\b"
)
# Host names have at most 10 labels of at most 63 characters: bounded, so a long dotted run
# is not tried from every start (see tests/test_regex_safety.py).
_URL_RE = fast_pattern(r"(?i)\b(?:https?://|www\.)\S++|\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,10}\."
                     r"(?:gov|org|us|edu|com|net)/\S*+")  # fmt: skip
_BARE_URL_RE = fast_pattern(
    r"(?i)^\s*+(?:https?://|www\.)\S++\s*$|^\s*+[\w-]{1,63}(?:\.[\w-]{1,63}){1,10}/\S*+\s*$"
)
_VENDOR_URL_RE = fast_pattern(
    r"(?i)flocksafety|vigilant|motorolasolutions|leadsonline|genetec|rekor|"
    r"axon\.com|privacy-ethics"
)
_OVERSIGHT_RE = fast_pattern(
    r"(?i)\b(?:city\s+council|council|board\s+of\s+(?:supervisors|commissioners|directors)|"
    r"commission(?:er)?|oversight|legislat\w+|committees?|governing\s+body|mayor|city\s+manager|"
    r"privacy\s+advisory)\b"
)
_INTERNAL_RE = fast_pattern(
    r"(?i)\b(?:chief|sheriff|captain|lieutenant|commander|command\s+staff|supervisor\w*|"
    r"administrator|division|undersheriff|deputy\s+chief|designee)\b"
)
# A sentence that goes on about the report just named: "The report shall state …", "This
# annual report will list …", "It shall include …".
_BACK_REFERENCE_RE = fast_pattern(
    r"(?i)^(?:the|this|that|such|each|every|said|these|those)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:reports?|summar(?:y|ies)|publications?)\b|^(?:it|they)\s+(?:shall|will|must|should|"
    r"is|are|includes?|contains?|lists?|states?|shows?|gives?)\b"
)
_OPERATIONAL_RE = fast_pattern(
    r"(?i)\b(?:malfunction\w*|misread\w*|damage\w*|inoperab\w+|repair\w*|"
    r"errors?\b|outage|breach\w*)"
)


# A field that counts use of the system: "Number of Searches", "Hotlist hits in the last 30
# days", "Vehicles detected", "Plates read this month", "Data requests received".
_FIGURE_KEY_RE = fast_pattern(
    r"(?i)\b(?:searches|search\s+sessions|search(?:es)?\s+performed|quer(?:y|ies)|hits|alerts|"
    r"detections|reads|scans|plates?\s+(?:read|scanned|captured|collected)|vehicles?\s+"
    r"(?:detected|read|scanned|captured)|requests?|audits?\s+(?:performed|conducted))\b"
)
_FIGURE_VALUE_RE = fast_pattern(r"^\s*+\d[\d,. ]{0,15}+\s*+(?:[A-Za-z]{0,12})\s*$")


def read_field(field: Field) -> list[Finding]:
    """A label/value field stating how much the system was used: a public usage figure."""
    if not _FIGURE_KEY_RE.search(field.key_text) or not _FIGURE_VALUE_RE.match(
        field.value_text
    ):
        return []
    return [
        Finding(
            topic="reporting",
            text=field.key_text,
            start=field.start,
            end=field.end,
            section=field.key.section,
            modality="fact",
            cues=["reporting.public_figures", "reporting.field"],
        )
    ]


def _public_audit(clause: Clause) -> Finding | None:
    """A "Public Search Audit" label: the searches themselves are open to the public."""
    line = clause.line
    if len(line.text) < 40 and _PUBLIC_AUDIT_RE.search(line.text):
        return make_finding(clause, "reporting", ["reporting.public_figures"])
    return None


def _policy_link(clause: Clause) -> Finding | None:
    """A label naming the policy with a link to it (on this line or the next)."""
    line = clause.line
    following = clause.neighbour(1)
    if len(line.text) > 160 or not _POLICY_RE.search(line.text):
        return None
    candidates = [line.text]
    if following is not None and _BARE_URL_RE.match(following.text):
        candidates.append(following.text)  # a label line, then the link on its own line
    if re.search(r"(?i)\(TBD\)|\bTBD\b", " ".join(candidates)):
        return None
    for candidate in candidates:
        url = _URL_RE.search(candidate)
        if url is not None:
            if _VENDOR_URL_RE.search(url.group(0)):
                return make_finding(clause, "reporting", ["reporting.vendor_link"])
            finding = make_finding(clause, "reporting", ["reporting.policy_published"])
            if candidate is not line.text and following is not None:
                finding.end = following.end
                finding.text = clause.quote(finding.start, finding.end)
            return finding
    return None


# A page that presents itself as public ("Transparency Portal", "Public Dashboard").
_PUBLIC_PAGE_RE = fast_pattern(r"(?i)\btransparency\s+(?:portal|page|dashboard|center|hub)\b|"
                             r"\bpublic\s+(?:dashboard|portal)\b")  # fmt: skip
_RULE_RE = fast_pattern(r"(?i)\b(?:shall|must)\b")
_MIN_RULES = 6  # a policy's own text, not a summary: several binding sentences under it


def read_page(lines: list[Line]) -> list[Finding]:
    """A public transparency page that carries the agency's policy text itself (a heading
    naming the policy, then the policy's rules) publishes the policy."""
    if not any(_PUBLIC_PAGE_RE.search(line.text) for line in lines[:6]):
        return []
    for index, line in enumerate(lines):
        if line.kind not in ("heading", "label") or not _POLICY_RE.search(line.text):
            continue
        rules = sum(1 for later in lines[index + 1 :]
                    if later.kind in ("body", "item") and _RULE_RE.search(later.text))  # fmt: skip
        if rules >= _MIN_RULES:
            return [Finding(topic="reporting", text=line.text, start=line.start, end=line.end,
                            section=line.section, modality="fact",
                            cues=["reporting.policy_published", "reporting.policy_text"])]
    return []


@register_detector("reporting", TRIGGERS)
def read(clause: Clause) -> list[Finding]:
    for special in (_public_audit, _policy_link):
        found = special(clause)
        if found is not None:
            return [found]
    if clause.line.kind == "heading":
        return []  # "VII. AUDITS" names a topic; the sentences under it say what happens
    text = clause.text
    if text.rstrip().endswith("?") or _OPERATIONAL_RE.search(text):
        return []
    cues: list[str] = []
    public = _PUBLIC_RE.search(text)
    if public and read_clause(text, public.start(), public.end()).negated:
        public = None
    report = _REPORT_RE.search(text)
    policy = _POLICY_RE.search(text)
    # "the below policies", "the policies and usage statistics below": the page's own summary.
    own_summary = policy is not None and bool(
        re.search(r"(?i)\b(?:below|following|above|these)\s+(?:\w+\s+)?$", text[: policy.start()])
        or re.match(r"(?i)\s*(?:[\w&,]+\s+){0,4}?(?:below|that\s+follow|on\s+this\s+(?:page|site|"
                    r"portal))\b", text[policy.end() :])
    )
    if (
        policy
        and _OWN_POLICY_RE.search(text)
        and _POSTED_RE.search(text)
        and not own_summary
        and not _VENDOR_URL_RE.search(text)
        and not re.search(r"(?i)\bnot\s+open\s+to\s+public", text)
        and not _negated_posting(text)
    ):
        cues.append("reporting.policy_published")
    extended_to: int | None = None
    if report is not None and not own_summary:
        figures = _FIGURES_RE.search(text) or _figures_in_items(clause)
        if public and not figures:
            extended_to = _figures_in_next_sentences(clause)
            figures = extended_to is not None
        if public:
            cues.append("reporting.public_figures" if figures else "reporting.public_report")
        elif _OVERSIGHT_RE.search(text) and re.search(
            r"(?i)\b(?:provided|submitted|presented|reported|delivered|sent|made)\s+to\b|\bto\s+the\b",
            text,
        ):
            cues.append("reporting.oversight_report")
        elif re.search(r"(?i)\bsummary\b", text) and _PERIODIC_RE.search(text):
            cues.append("reporting.summary")
        elif re.search(r"(?i)\baudit", text) or _INTERNAL_RE.search(text):
            cues.append("reporting.internal")
    if not cues:
        return []
    key = public or report
    modality = read_clause(text, key.start(), key.end()).modality if key else "fact"
    finding = make_finding(clause, "reporting", cues)
    finding.modality = modality
    if extended_to is not None:  # quote the report and the sentence that lists its figures
        finding.end = extended_to
        finding.text = clause.quote(finding.start, finding.end)
    return [finding]


def _negated_posting(text: str) -> bool:
    """ "shall not publish this policy", "will not be posted": the policy stays private."""
    return any(read_clause(text, m.start(), m.end()).negated for m in _POSTED_RE.finditer(text))


def _figures_in_next_sentences(clause: Clause) -> int | None:
    """ "… shall publish an annual ALPR report. The report shall state the number of …":
    the figures named by the next sentence or two, when they refer back to the report,
    belong to it. Returns where the sentence with the figures ends."""
    before, after = clause, clause.following
    for _ in range(2):
        if (
            after is None
            or after.line_index - before.line_index > 1  # same paragraph or the next one
            or after.line.kind not in ("body", "item")
            or not _BACK_REFERENCE_RE.match(after.text)
        ):
            return None
        if _FIGURES_RE.search(after.text) or _figures_in_items(after):
            return after.end
        before, after = after, after.following
    return None


def _figures_in_items(clause: Clause) -> bool:
    """A sentence ending "… that includes:" whose list items carry the figures."""
    if not clause.text.rstrip().endswith((":", "includes", "include")):
        return False
    for step in range(1, 6):
        line = clause.neighbour(step)
        if line is None or line.kind not in ("item", "body"):
            break
        if _FIGURES_RE.search(line.text):
            return True
    return False
