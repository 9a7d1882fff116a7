"""Demo advisories (registered with `vcio.demo.register_demo_seeder` before the demo QBR reports, so
the reports show them): six realistic advisories of the practice, targeted at the demo clients'
industries or at chosen clients, five published and one draft."""

from datetime import timedelta

from clients.models import Industry

from . import advisory_services as services
from .advisory_models import AdvisoryTargeting

ADVISORIES = [
    {
        "title": "Windows 10 end of support — October 2025 has passed: plan replacements",
        "category": "hardware_lifecycle",
        "severity": "critical",
        "targeting": AdvisoryTargeting.ALL,
        "industries": [],
        "link": "https://learn.microsoft.com/en-us/lifecycle/products/windows-10-home-and-pro",
        "days_ago": 40,
        "body": (
            "Microsoft ended support for Windows 10 on **14 October 2025**. Machines still on it get no "
            "security updates unless they are enrolled in Extended Security Updates (paid, one year at a "
            "time).\n\n"
            "What we recommend:\n\n"
            "1. List every Windows 10 device (we have the inventory).\n"
            "2. Upgrade the ones that meet Windows 11's hardware requirements.\n"
            "3. Budget replacements for the rest this fiscal year; ESU only as a bridge.\n"
        ),
    },
    {
        "title": "Enforce phishing-resistant MFA for Microsoft 365 admins",
        "category": "security",
        "severity": "important",
        "targeting": AdvisoryTargeting.ALL,
        "industries": [],
        "link": "https://www.cisa.gov/resources-tools/resources/phishing-resistant-multi-factor-authentication-mfa-success-story-usdas-fast-identity-online-fido",
        "days_ago": 25,
        "body": (
            "Attackers now routinely bypass SMS codes and push prompts (*MFA fatigue*, adversary-in-the-"
            "middle kits). Administrator accounts should sign in with **FIDO2 security keys or passkeys** "
            "only.\n\n"
            "- Issue two keys per admin (one kept as a spare).\n"
            "- Use Conditional Access authentication strengths to require them.\n"
            "- Keep one break-glass account, monitored.\n"
        ),
    },
    {
        "title": "HIPAA Security Rule update: proposed changes to encryption and MFA",
        "category": "compliance",
        "severity": "important",
        "targeting": AdvisoryTargeting.INDUSTRIES,
        "industries": [Industry.HEALTHCARE],
        "link": "https://www.hhs.gov/hipaa/for-professionals/security/index.html",
        "days_ago": 18,
        "body": (
            "HHS has proposed the first major update of the HIPAA Security Rule in two decades. Among "
            "the changes: encryption of ePHI at rest and in transit becomes **required** rather than "
            "addressable, MFA is required for access to ePHI, and an asset inventory and network map "
            "must be kept up to date.\n\n"
            "We will review your current posture against the proposal at the next QBR.\n"
        ),
    },
    {
        "title": "Backups: test restores quarterly, keep one immutable copy",
        "category": "security",
        "severity": "advisory",
        "targeting": AdvisoryTargeting.INDUSTRIES,
        "industries": [
            Industry.LEGAL,
            Industry.FINANCE,
            Industry.MANUFACTURING,
            Industry.CONSTRUCTION,
            Industry.HEALTHCARE,
        ],
        "link": "https://www.cisa.gov/stopransomware",
        "days_ago": 12,
        "body": (
            "A backup nobody has restored is a hope, not a plan. Ransomware groups target backup "
            "consoles first.\n\n"
            "- Test a **full restore** of one key system every quarter and record how long it took.\n"
            "- Keep at least one copy **immutable** (object lock) or offline.\n"
            "- Separate backup admin credentials from everyday admin accounts.\n"
        ),
    },
    {
        "title": "Copilot/AI tools: data governance before licences",
        "category": "ai",
        "severity": "advisory",
        "targeting": AdvisoryTargeting.ALL,
        "industries": [],
        "link": "https://learn.microsoft.com/en-us/copilot/microsoft-365/microsoft-365-copilot-privacy",
        "days_ago": 6,
        "body": (
            "Microsoft 365 Copilot shows each user whatever they already have access to — including "
            "files shared too widely years ago. Before buying licences:\n\n"
            "1. Review sharing on SharePoint sites and Teams with sensitive data.\n"
            "2. Apply sensitivity labels to confidential documents.\n"
            "3. Start with a pilot group and an acceptable-use policy for AI tools.\n"
        ),
    },
    {
        "title": "VMware licensing changes after the Broadcom acquisition",
        "category": "cloud",
        "severity": "important",
        "targeting": AdvisoryTargeting.CLIENTS,
        "industries": [Industry.MANUFACTURING, Industry.EDUCATION],
        "link": "https://www.vmware.com/products",
        "days_ago": None,  # a draft, still being written
        "body": (
            "Broadcom moved VMware to subscription-only bundles (VMware Cloud Foundation / vSphere "
            "Foundation) with per-core minimums; perpetual licences and support renewals are gone. "
            "Expect renewal quotes several times higher.\n\n"
            "Options we will price: renew on the new bundles, move to Hyper-V or Proxmox, or move "
            "workloads to Azure.\n"
        ),
    },
]


def seed_advisories(world) -> None:
    from .advisory_services import local_today

    today = local_today(world.practice)
    vmware_clients = [
        c for c in world.clients if c.industry in (Industry.MANUFACTURING, Industry.EDUCATION)
    ] or world.clients[:1]
    for spec in ADVISORIES:
        spec = dict(spec)
        days_ago = spec.pop("days_ago")
        clients = vmware_clients if spec["targeting"] == AdvisoryTargeting.CLIENTS else []
        advisory = services.advisory_create(
            practice=world.practice, actor=world.owner, clients=clients, **spec
        )
        if days_ago is not None:
            services.advisory_publish(
                advisory=advisory, actor=world.owner, on=today - timedelta(days=days_ago)
            )
