"""Demo compliance data (registered with `vcio.demo.register_demo_seeder`, after the roadmaps): the
practice's 30-standard baseline a vCIO would really use, and for every demo client one or two
frameworks that fit its industry, each with a completed assessment and one in progress (varied
answers, owners, due dates — some overdue — and evidence)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from clients.models import Industry
from vcio.demo import DemoWorld

from . import services, standard_services
from .models import Assessment, Framework, Response, ResponseStatus, Weight

H, M, L = Weight.HIGH, Weight.MEDIUM, Weight.LOW

BASELINE = [
    (
        "BK",
        "Backup and recovery",
        [
            (
                "Backups tested quarterly",
                H,
                "A full restore of at least one critical system is tested every quarter and the result is recorded.",
            ),
            (
                "Immutable or off-site copy of every backup",
                H,
                "At least one copy cannot be changed or deleted from the production network (immutable storage or an air gap).",
            ),
            (
                "Backup jobs monitored daily",
                M,
                "Failed or missed backup jobs raise an alert that someone acts on the same business day.",
            ),
            (
                "Recovery time and recovery point objectives agreed",
                M,
                "The business has signed off how long each critical system may be down and how much data it may lose.",
            ),
        ],
    ),
    (
        "ID",
        "Identity and access",
        [
            (
                "MFA on all remote access",
                H,
                "VPN, remote desktop gateways and remote-support tools require multi-factor authentication.",
            ),
            (
                "MFA on e-mail and cloud productivity suites",
                H,
                "Microsoft 365 or Google Workspace sign-ins require MFA; legacy authentication is blocked.",
            ),
            (
                "Separate admin accounts",
                H,
                "Administrators use a separate privileged account; nobody works day to day with admin rights.",
            ),
            (
                "Leavers lose access within 24 hours",
                M,
                "An offboarding checklist disables accounts, revokes tokens and collects devices within one business day.",
            ),
            (
                "Password manager for all staff",
                L,
                "Staff store work passwords in the company password manager, not in browsers or spreadsheets.",
            ),
            (
                "Privileged access reviewed quarterly",
                M,
                "Every quarter the owner of each system confirms who holds admin rights.",
            ),
        ],
    ),
    (
        "EP",
        "Endpoints",
        [
            (
                "EDR on every workstation and server",
                H,
                "Endpoint detection and response is installed, reporting and monitored on every device.",
            ),
            (
                "Patches within 14 days, critical within 72 hours",
                H,
                "Operating system and third-party updates are applied on schedule, and compliance is reported monthly.",
            ),
            (
                "Full-disk encryption on laptops",
                M,
                "BitLocker or FileVault is on, with recovery keys escrowed.",
            ),
            (
                "No unsupported operating systems",
                M,
                "No device runs an operating system past its end of support, or it is isolated with an exception on file.",
            ),
            (
                "Phones and tablets enrolled in MDM",
                L,
                "Devices that reach company data are enrolled in mobile device management and can be wiped.",
            ),
        ],
    ),
    (
        "NW",
        "Network",
        [
            (
                "Firewall firmware supported and current",
                H,
                "Firewalls are under vendor support with current firmware and an active security subscription.",
            ),
            (
                "No remote desktop exposed to the internet",
                H,
                "Remote access goes through a VPN or zero-trust gateway; RDP and SMB are never published.",
            ),
            (
                "Guest Wi-Fi separated from the business network",
                M,
                "Guest and IoT devices sit on their own network with no route to business systems.",
            ),
            (
                "DNS filtering on all devices",
                M,
                "Known malicious and newly registered domains are blocked on and off the office network.",
            ),
        ],
    ),
    (
        "EM",
        "E-mail",
        [
            (
                "SPF, DKIM and DMARC enforced",
                M,
                "Every sending domain publishes SPF and DKIM, and DMARC is at quarantine or reject.",
            ),
            (
                "Advanced filtering of links and attachments",
                M,
                "Inbound mail is scanned for malicious links and attachments before delivery and at click time.",
            ),
        ],
    ),
    (
        "SA",
        "Security awareness and response",
        [
            (
                "Security awareness training with phishing tests",
                M,
                "Staff complete training at hiring and yearly; simulated phishing runs at least quarterly.",
            ),
            (
                "Incident response plan tested yearly",
                H,
                "A written plan names who decides and who calls whom; a tabletop exercise tests it every year.",
            ),
            (
                "Cyber-insurance requirements reviewed yearly",
                L,
                "The insurer's control questionnaire is reviewed against reality before each renewal.",
            ),
        ],
    ),
    (
        "GV",
        "Governance and lifecycle",
        [
            (
                "Hardware inventory with warranty dates",
                L,
                "Every device is in the inventory with its owner, location, purchase and warranty dates.",
            ),
            (
                "Software and SaaS inventory with owners",
                L,
                "Every application and subscription has a business owner and a renewal date.",
            ),
            (
                "Hardware replaced before end of support",
                M,
                "Devices are budgeted and replaced before their vendor support ends.",
            ),
            (
                "IT policies written and reviewed yearly",
                M,
                "Acceptable use, access, backup and incident policies are approved by management each year.",
            ),
            (
                "Vendor remote access logged and limited",
                M,
                "Vendors reach systems only through approved, logged tools, enabled when needed.",
            ),
            (
                "Admin credentials in a shared, audited vault",
                M,
                "Shared administrative credentials live in a vault with per-user access and an audit trail.",
            ),
        ],
    ),
]

# Industry -> catalog slugs to adopt (the practice's baseline is added where it fits, see below).
CATALOGS = {
    Industry.HEALTHCARE: ["hipaa-security-rule"],
    Industry.FINANCE: ["nist-csf-2-0"],
    Industry.MANUFACTURING: ["nist-sp-800-171-r3"],
    Industry.LEGAL: ["nist-csf-2-0"],
    Industry.RETAIL: ["nist-csf-2-0"],
    Industry.EDUCATION: ["nist-csf-2-0"],
}
WITH_BASELINE = {
    Industry.HEALTHCARE,
    Industry.LEGAL,
    Industry.CONSTRUCTION,
    Industry.NONPROFIT,
    Industry.FINANCE,
}
SCOPES = {
    "hipaa-security-rule": "All three clinics, the practice-management system, imaging and e-mail holding ePHI.",
    "nist-csf-2-0": "The whole organisation: all sites, Microsoft 365 and line-of-business systems.",
    "nist-sp-800-171-r3": "Systems that process or store CUI for the defence customer: engineering workstations, "
    "the file server and the ERP. The shop-floor OT network is out of scope.",
}
NOTES_DONE = [
    "Checked in the admin console; screenshot filed with the evidence.",
    "Policy approved by the owner; next review due in twelve months.",
    "Verified with the MSP's monthly report.",
    "Confirmed on site with the office manager.",
    "Configuration exported and reviewed.",
]
NOTES_GAP = [
    "Not in place yet; proposed on the roadmap.",
    "Partly done: covers the main office only.",
    "Tool bought, rollout planned for next quarter.",
    "Owner to confirm with the vendor.",
    "Exception requested by the client; needs a decision.",
]
LINKS = [
    ("https://sharepoint.example.com/sites/it/policies/backup-policy.pdf", "Backup policy"),
    ("https://sharepoint.example.com/sites/it/evidence/mfa-report.xlsx", "MFA report"),
    ("https://docs.example.com/runbooks/incident-response", "Incident response plan"),
    ("https://portal.example.com/reports/patch-compliance", "Patch compliance report"),
]
# Maturity of each demo client (share of items implemented, roughly) — varied on purpose.
MATURITY = [0.55, 0.62, 0.7, 0.45, 0.35, 0.5, 0.3, 0.48]


def seed_baseline(world: DemoWorld):
    framework = standard_services.standard_framework_create(
        practice=world.practice,
        actor=world.owner,
        name="Security & IT Baseline",
        version="2026.1",
        description="The standards every client is measured against at each QBR: what a well-run small "
        "business should have in place, weighted by how much risk each one removes.",
    )
    for code, heading, items in BASELINE:
        parent = standard_services.standard_create(
            framework=framework, actor=world.owner, ref=code, title=heading, text="", weight=Weight.MEDIUM
        )
        for n, (title, weight, text) in enumerate(items, start=1):
            standard_services.standard_create(
                framework=framework,
                actor=world.owner,
                parent=parent,
                ref=f"{code}-{n:02d}",
                title=title,
                text=text,
                weight=weight,
            )
    return framework


def _answer(rng, maturity: float) -> str:
    roll = rng.random()
    if roll < 0.05:
        return ResponseStatus.NOT_APPLICABLE
    if roll < 0.05 + maturity:
        return ResponseStatus.IMPLEMENTED
    if roll < 0.05 + maturity + (1 - maturity) * 0.5:
        return ResponseStatus.PARTIAL
    return ResponseStatus.NOT_IMPLEMENTED


def _answer_all(world, assessment, maturity, *, today, improve_from=None, unreviewed: float = 0.0) -> None:
    """Fill an assessment: a first one from scratch, a later one by improving some of the copied
    answers and leaving a few items not yet reviewed; gaps get owners and due dates (some overdue)."""
    rng = world.rng
    consultants = world.consultants or [world.owner]
    responses = list(
        Response.objects.for_practice(assessment.practice_id)
        .filter(assessment=assessment)
        .select_related("requirement", "standard")
    )
    chosen = {}
    for response in responses:
        if improve_from is None:
            status = _answer(rng, maturity)
        else:
            status = response.status
            roll = rng.random()
            if status in (ResponseStatus.NOT_IMPLEMENTED, ResponseStatus.PARTIAL) and roll < 0.35:
                status = ResponseStatus.IMPLEMENTED if roll < 0.15 else ResponseStatus.PARTIAL
            elif roll > 1 - unreviewed:
                status = ResponseStatus.NOT_ASSESSED  # not reviewed again yet
        owner = due = None
        if status in (ResponseStatus.NOT_IMPLEMENTED, ResponseStatus.PARTIAL):
            owner = rng.choice(consultants)
            due = today + timedelta(days=rng.choice([-40, -21, -9, -3, 6, 14, 25, 45, 75, 120]))
        chosen[response.pk] = {"status": status, "owner": owner, "due_date": due}
    if chosen:
        services.responses_set(
            assessment=assessment,
            actor=rng.choice(consultants),
            answers=chosen,
            reviewed=improve_from is None,
        )
    # Evidence on a few answered items.
    for response in rng.sample(responses, min(4, len(responses))):
        response.refresh_from_db()
        done = response.status == ResponseStatus.IMPLEMENTED
        links = [rng.choice(LINKS)] if done and rng.random() < 0.6 else None
        services.response_update(
            response=response,
            actor=world.owner,
            notes=rng.choice(NOTES_DONE if done else NOTES_GAP),
            evidence_links=links,
        )


def _backdate(assessment: Assessment, started, completed=None) -> None:
    tz = timezone.get_current_timezone()
    fields = {"started_on": started}
    if completed is not None:
        fields["completed_at"] = timezone.make_aware(datetime.combine(completed, time(16, 30)), tz)
    Assessment.objects.for_practice(assessment.practice_id).filter(pk=assessment.pk).update(**fields)
    for key, value in fields.items():
        setattr(assessment, key, value)


def seed_compliance(world: DemoWorld) -> None:
    baseline = seed_baseline(world)
    catalogs = {f.slug: f for f in Framework.objects.all()}
    today = timezone.localdate()
    for n, client in enumerate(world.clients):
        maturity = MATURITY[n % len(MATURITY)]
        chosen = [catalogs[s] for s in CATALOGS.get(client.industry, []) if s in catalogs]
        if client.industry in WITH_BASELINE or not chosen:
            chosen.append(baseline)
        for k, framework in enumerate(chosen[:2]):
            adoption = services.adoption_create(
                client=client,
                actor=world.owner,
                framework=framework,
                scope_note=SCOPES.get(
                    getattr(framework, "slug", ""), "All sites and systems of the organisation."
                ),
                target_date=today + timedelta(days=180 + 30 * k + 15 * n),
            )
            # Two completed reviews for the first two clients (a real trend), one for the others.
            rounds = 2 if n < 2 and k == 0 else 1
            previous = None
            for r in range(rounds):
                months_ago = 6 * (rounds - r)
                started = today - timedelta(days=30 * months_ago + 10)
                assessment = services.assessment_start(
                    adoption=adoption, actor=world.owner, title=f"{framework.label} review {started:%B %Y}"
                )
                _answer_all(
                    world,
                    assessment,
                    maturity - 0.12 * (rounds - r - 1),
                    today=started,
                    improve_from=previous,
                )
                services.assessment_complete(assessment=assessment, actor=world.owner)
                _backdate(assessment, started, started + timedelta(days=12))
                previous = assessment
            current = services.assessment_start(
                adoption=adoption, actor=rng_choice(world), title=f"{framework.label} review {today:%B %Y}"
            )
            _backdate(current, today - timedelta(days=14))
            _answer_all(world, current, maturity, today=today, improve_from=previous, unreviewed=0.08)


def rng_choice(world: DemoWorld):
    return world.rng.choice(world.consultants or [world.owner])
