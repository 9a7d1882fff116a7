"""Demo vendors: a directory of ~25 real-sounding vendors (fictional companies, real kinds of product)
and, for every demo client, 6-12 contracts that fit its industry and size — a few inside their
notice window today, most auto-renewing, a couple month-to-month, one cancelled — and a relationship
log. Registered with `vcio.demo.register_demo_seeder` (after clients and roadmaps)."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from clients.models import Industry
from vcio.demo import DemoWorld

from . import renewals, services
from .models import BillingFrequency, ContractType, InteractionKind, VendorCategory
from .selectors import practice_today

# key: name, category, website, account manager, support
VENDORS = {
    "metro": (
        "Metro Fiber Networks",
        VendorCategory.ISP,
        "metrofiber.example.com",
        "Dana Brooks",
        "NOC 24/7: +1 555 0100",
    ),
    "coastal": (
        "Coastal Cable Business",
        VendorCategory.ISP,
        "coastalcable.example.com",
        "Luis Romero",
        "+1 555 0101",
    ),
    "keystone": (
        "Keystone Broadband",
        VendorCategory.ISP,
        "keystonebroadband.example.com",
        "Erin Walsh",
        "+1 555 0102",
    ),
    "clearline": (
        "ClearLine Voice",
        VendorCategory.TELECOM,
        "clearlinevoice.example.com",
        "Priya Desai",
        "support@clearlinevoice.example.com",
    ),
    "bluewave": (
        "Bluewave Mobile",
        VendorCategory.TELECOM,
        "bluewave.example.com",
        "Tom Fischer",
        "Business line: +1 555 0103",
    ),
    "contoso": (
        "Contoso Cloud Solutions (Microsoft CSP)",
        VendorCategory.CLOUD,
        "contosocloud.example.com",
        "Hannah Lee",
        "csp-support@contosocloud.example.com",
    ),
    "northstar": (
        "Northstar Cloud Hosting",
        VendorCategory.CLOUD,
        "northstarcloud.example.com",
        "Marco Bianchi",
        "portal.northstarcloud.example.com",
    ),
    "sentinel": (
        "SentinelShield Security",
        VendorCategory.SECURITY,
        "sentinelshield.example.com",
        "Grace Kim",
        "SOC: +1 555 0104",
    ),
    "phishguard": (
        "PhishGuard Training",
        VendorCategory.SECURITY,
        "phishguard.example.com",
        "Omar Haddad",
        "help.phishguard.example.com",
    ),
    "ironclad": (
        "Ironclad Network Security",
        VendorCategory.SECURITY,
        "ironclad.example.com",
        "Sofia Alvarez",
        "TAC: +1 555 0105",
    ),
    "guardian": (
        "Guardian DNS",
        VendorCategory.SECURITY,
        "guardiandns.example.com",
        "Ben Carter",
        "support@guardiandns.example.com",
    ),
    "vaultkey": (
        "Vaultkey Password Manager",
        VendorCategory.SAAS,
        "vaultkey.example.com",
        "Mia Novak",
        "help.vaultkey.example.com",
    ),
    "redwood": (
        "Redwood Backup",
        VendorCategory.CLOUD,
        "redwoodbackup.example.com",
        "Jonas Berg",
        "+1 555 0106",
    ),
    "datasafe": (
        "DataSafe Offsite",
        VendorCategory.CLOUD,
        "datasafe.example.com",
        "Ava Thompson",
        "+1 555 0107",
    ),
    "bridgepoint": (
        "Bridgepoint Managed Services",
        VendorCategory.MSP,
        "bridgepointms.example.com",
        "Ryan O'Neill",
        "Service desk: +1 555 0108",
    ),
    "tidewater": (
        "Tidewater RMM",
        VendorCategory.SOFTWARE,
        "tidewaterrmm.example.com",
        "Chloe Martin",
        "support@tidewaterrmm.example.com",
    ),
    "summit_supply": (
        "Summit Technology Supply",
        VendorCategory.HARDWARE,
        "summitsupply.example.com",
        "Noah Patel",
        "+1 555 0109",
    ),
    "apex_imaging": (
        "Apex Office Imaging",
        VendorCategory.HARDWARE,
        "apeximaging.example.com",
        "Lily Chen",
        "Service calls: +1 555 0110",
    ),
    "brightsmile": (
        "BrightSmile Practice Systems",
        VendorCategory.SAAS,
        "brightsmile.example.com",
        "Karen Ross",
        "+1 555 0111",
    ),
    "casevault": (
        "CaseVault Legal",
        VendorCategory.SAAS,
        "casevault.example.com",
        "Peter Novak",
        "support@casevault.example.com",
    ),
    "corelink": (
        "Corelink Banking Systems",
        VendorCategory.SOFTWARE,
        "corelink.example.com",
        "Irene Duarte",
        "+1 555 0112",
    ),
    "shopfloor": (
        "ShopFloor Software",
        VendorCategory.SOFTWARE,
        "shopfloor.example.com",
        "Victor Hale",
        "+1 555 0113",
    ),
    "sitesync": (
        "SiteSync Construction Cloud",
        VendorCategory.SAAS,
        "sitesync.example.com",
        "Jade Walker",
        "help.sitesync.example.com",
    ),
    "retailflow": (
        "RetailFlow POS",
        VendorCategory.SAAS,
        "retailflow.example.com",
        "Sam Ortiz",
        "+1 555 0114",
    ),
    "givingtree": (
        "GivingTree Donor CRM",
        VendorCategory.SAAS,
        "givingtree.example.com",
        "Nora Quinn",
        "help.givingtree.example.com",
    ),
    "classbridge": (
        "ClassBridge SIS",
        VendorCategory.SAAS,
        "classbridge.example.com",
        "Ethan Moore",
        "support@classbridge.example.com",
    ),
    "namewise": (
        "Namewise Domains",
        VendorCategory.OTHER,
        "namewise.example.com",
        "",
        "support@namewise.example.com",
    ),
}


@dataclass(frozen=True)
class Spec:
    vendor: str
    name: str
    kind: str
    billing: str
    cost: str
    per: str  # quantity: "seat" (headcount), "site" (locations), or a number
    term: int | None  # months; None = open-ended
    auto_renew: bool = True
    renewal_term: int | None = None
    notice: int = 30
    notes: str = ""


S, L, SUP, LEASE, SVC = (
    ContractType.SUBSCRIPTION,
    ContractType.LICENCE,
    ContractType.SUPPORT,
    ContractType.LEASE,
    ContractType.SERVICE,
)
M, Q, A, ONCE = (
    BillingFrequency.MONTHLY,
    BillingFrequency.QUARTERLY,
    BillingFrequency.ANNUAL,
    BillingFrequency.ONE_TIME,
)

COMMON = [
    Spec(
        "metro",
        "Business Fiber 500/500",
        SVC,
        M,
        "389.00",
        "site",
        36,
        True,
        12,
        60,
        "Static IP block included.",
    ),
    Spec(
        "contoso",
        "Microsoft 365 Business Premium (annual commitment)",
        S,
        M,
        "22.00",
        "seat",
        12,
        True,
        12,
        30,
        "NCE annual term: seats can be added any time, reduced only at renewal.",
    ),
    Spec("sentinel", "SentinelShield EDR Complete", S, A, "54.00", "seat", 12, True, 12, 45),
    Spec(
        "phishguard",
        "Security awareness training and phishing simulation",
        S,
        A,
        "18.00",
        "seat",
        12,
        True,
        12,
        60,
    ),
    Spec(
        "ironclad",
        "Firewall UTP bundle (3-year)",
        L,
        A,
        "1450.00",
        "site",
        36,
        False,
        None,
        60,
        "Hardware support and threat feeds; renew or replace the appliances before it ends.",
    ),
]
MANAGED_SERVICES = Spec(
    "bridgepoint",
    "Co-managed IT services agreement",
    SVC,
    M,
    "65.00",
    "seat",
    36,
    True,
    12,
    90,
    "Help desk and patching by the MSP; the practice keeps strategy and vendors.",
)
MONTH_TO_MONTH = Spec(
    "redwood",
    "Redwood Backup for Microsoft 365",
    S,
    M,
    "3.50",
    "seat",
    1,
    True,
    1,
    30,
    "Month to month; cancel any time with 30 days' notice.",
)
INDUSTRY = {
    Industry.HEALTHCARE: [
        Spec(
            "brightsmile", "BrightSmile Cloud practice management", S, M, "349.00", "site", 24, True, 12, 90
        ),
        Spec("clearline", "Hosted voice with e-fax", SVC, M, "24.95", "seat", 24, True, 12, 30),
        Spec(
            "apex_imaging",
            "Multifunction copier lease (3 clinics)",
            LEASE,
            M,
            "189.00",
            "site",
            60,
            False,
            None,
            90,
        ),
        Spec(
            "datasafe", "Image-based backup with offsite replication", SVC, M, "640.00", "1", 12, True, 12, 30
        ),
    ],
    Industry.LEGAL: [
        Spec(
            "casevault",
            "CaseVault document management",
            S,
            A,
            "420.00",
            "seat",
            36,
            True,
            12,
            90,
            "Price protection ends at this renewal: expect +7%.",
        ),
        Spec("clearline", "Hosted voice", SVC, M, "24.95", "seat", 24, True, 12, 30),
        Spec("vaultkey", "Vaultkey Business", S, A, "48.00", "seat", 12, True, 12, 30),
        Spec("namewise", "Domains and DNS hosting", SVC, A, "240.00", "1", 12, True, 12, 0),
    ],
    Industry.FINANCE: [
        Spec(
            "corelink",
            "Core banking platform and support",
            SUP,
            A,
            "148000.00",
            "1",
            60,
            True,
            36,
            180,
            "Contract requires 180 days' written notice to the vendor's legal department.",
        ),
        Spec("keystone", "Backup internet circuit (branches)", SVC, M, "129.00", "site", 24, True, 12, 60),
        Spec("guardian", "DNS filtering", S, A, "21.00", "seat", 12, True, 12, 30),
        Spec("vaultkey", "Vaultkey Enterprise", S, A, "72.00", "seat", 12, True, 12, 30),
        Spec("northstar", "Hosted disaster-recovery site", SVC, Q, "4200.00", "1", 12, True, 12, 90),
    ],
    Industry.MANUFACTURING: [
        Spec("shopfloor", "ShopFloor MES annual support", SUP, A, "18500.00", "1", 12, True, 12, 90),
        Spec(
            "summit_supply", "Laptop fleet lease (120 units)", LEASE, M, "41.00", "120", 36, False, None, 60
        ),
        Spec("bluewave", "Mobile fleet plan", SVC, M, "35.00", "40", 24, True, 1, 30),
        Spec("northstar", "Azure hosting for the ERP", SVC, M, "2150.00", "1", None, True, None, 30),
    ],
    Industry.CONSTRUCTION: [
        Spec("sitesync", "SiteSync project management", S, A, "260.00", "seat", 12, True, 12, 60),
        Spec("bluewave", "Tablet data plans for field crews", SVC, M, "38.00", "45", 24, True, 1, 30),
        Spec("coastal", "Job-site trailer internet", SVC, M, "149.00", "3", 12, True, 12, 30),
    ],
    Industry.RETAIL: [
        Spec("retailflow", "RetailFlow POS (per terminal)", S, M, "89.00", "12", 36, True, 12, 90),
        Spec("coastal", "Store broadband", SVC, M, "119.00", "site", 24, True, 12, 30),
        Spec("guardian", "DNS filtering", S, A, "21.00", "seat", 12, True, 12, 30),
        Spec("sentinel", "Quarterly PCI ASV scans", SVC, Q, "375.00", "1", 12, True, 12, 30),
    ],
    Industry.NONPROFIT: [
        Spec("givingtree", "GivingTree donor CRM", S, A, "4800.00", "1", 12, True, 12, 60),
        Spec(
            "tidewater",
            "Patch management (discounted nonprofit plan)",
            S,
            M,
            "2.10",
            "seat",
            None,
            True,
            None,
            30,
        ),
    ],
    Industry.EDUCATION: [
        Spec("classbridge", "ClassBridge student information system", S, A, "9.50", "380", 36, True, 12, 90),
        Spec("guardian", "CIPA web filtering for Chromebooks", S, A, "6.00", "380", 12, True, 12, 30),
        Spec(
            "summit_supply",
            "Chromebook Education Upgrade licences",
            L,
            ONCE,
            "38.00",
            "120",
            None,
            False,
            None,
            0,
        ),
    ],
}

INTERACTIONS = [
    (
        InteractionKind.REVIEW,
        "Quarterly business review with the account manager: usage, roadmap, open tickets.",
    ),
    (
        InteractionKind.CALL,
        "Renewal call: asked for a multi-year price lock and a seat true-down at renewal.",
    ),
    (
        InteractionKind.ESCALATION,
        "Escalated a four-hour outage on the primary site; vendor sent an RFO two days later.",
    ),
    (InteractionKind.EMAIL, "Requested the signed order form and the current price sheet for the budget."),
    (InteractionKind.MEETING, "Demo of the new tier; not needed before next fiscal year."),
]


def _quantity(spec: Spec, client) -> int:
    if spec.per == "seat":
        return client.headcount
    if spec.per == "site":
        return client.locations
    return int(spec.per)


def _specs_for(client, index: int) -> list[Spec]:
    specs = list(COMMON) + INDUSTRY.get(client.industry, [])
    if client.headcount >= 100:
        specs.append(MANAGED_SERVICES)
    if index % 3 == 0:
        specs.append(MONTH_TO_MONTH)
    return specs[:12]


def seed_vendors(world: DemoWorld) -> None:
    practice, owner, rng = world.practice, world.owner, world.rng
    today = practice_today(practice)
    vendors = {}
    for key, (name, category, website, manager, support) in VENDORS.items():
        first = manager.split(" ")[0].lower() if manager else ""
        vendors[key] = services.vendor_create(
            practice=practice,
            actor=owner,
            name=name,
            category=category,
            website=f"https://{website}",
            account_manager_name=manager,
            account_manager_email=f"{first}@{website}" if manager else "",
            account_manager_phone=f"+1 555 02{rng.randint(10, 99)}" if manager else "",
            support_contact=support,
            notes="",
        )
    world.extra["vendors"] = vendors

    made = []
    for i, client in enumerate(world.clients):
        consultant = client.primary_consultant or owner
        for j, spec in enumerate(_specs_for(client, i)):
            contract = services.contract_create(
                client=client,
                actor=owner,
                owner=consultant,
                **_terms(spec, client, today, vendors, in_window=(i + j) % 4 == 1, rng=rng),
            )
            made.append((client, contract))
    # One cancelled contract: the first client gave notice on its old backup appliance support.
    if world.clients:
        client = world.clients[0]
        old = services.contract_create(
            client=client,
            actor=owner,
            owner=client.primary_consultant or owner,
            vendor=vendors["datasafe"],
            name="Legacy backup appliance support",
            contract_type=ContractType.SUPPORT,
            start_date=renewals.add_months(today, -30),
            term_months=12,
            auto_renew=True,
            renewal_term_months=12,
            notice_days=60,
            billing_frequency=BillingFrequency.ANNUAL,
            cost=Decimal("1980.00"),
            quantity=1,
            notes="Replaced by cloud backup; notice given by e-mail.",
        )
        services.contract_cancel(contract=old, actor=owner)
    _seed_interactions(world, vendors, made, today)


def _terms(spec: Spec, client, today, vendors, *, in_window: bool, rng) -> dict:
    """The contract's fields, dated so that its next renewal (or end) falls where we want: inside the
    notice window for some, months ahead for most."""
    if spec.term is None:  # open-ended
        start = today - timedelta(days=rng.randint(200, 900))
        dates = {"start_date": start}
    else:
        if not spec.auto_renew:
            ends_in = rng.randint(25, 50) if in_window else rng.randint(90, 420)
        elif in_window and spec.term >= 3:
            ends_in = spec.notice + rng.randint(3, 25)
        else:
            ends_in = spec.notice + rng.randint(45, 330)
        term_end = today + timedelta(days=ends_in)
        terms_done = rng.randint(1, 3) if spec.auto_renew else 1
        renewal_term = spec.renewal_term or spec.term
        start = renewals.add_months(term_end, -(spec.term + (terms_done - 1) * renewal_term))
        dates = {"start_date": start, "term_months": spec.term}
        if spec.kind == ContractType.LEASE:  # a lease names its end date: the last day of a month
            end = renewals.add_months(term_end, 0, month_end=True)
            dates = {"start_date": renewals.add_months(end + timedelta(days=1), -spec.term), "end_date": end}
    return {
        "vendor": vendors[spec.vendor],
        **dates,
        "name": spec.name,
        "contract_type": spec.kind,
        "auto_renew": spec.auto_renew,
        "renewal_term_months": spec.renewal_term,
        "notice_days": spec.notice,
        "billing_frequency": spec.billing,
        "cost": Decimal(spec.cost),
        "quantity": _quantity(spec, client),
        "notes": spec.notes,
    }


def _seed_interactions(world, vendors, made, today) -> None:
    people = world.consultants or [world.owner]
    rng = world.rng
    for n, (client, contract) in enumerate(made[::3]):
        kind, summary = INTERACTIONS[n % len(INTERACTIONS)]
        services.interaction_create(
            vendor=contract.vendor,
            actor=world.owner,
            client=client,
            contract=contract,
            date=today - timedelta(days=rng.randint(3, 200)),
            kind=kind,
            summary=summary,
            who=people[n % len(people)],
        )
    for n, key in enumerate(("contoso", "metro", "sentinel")):
        services.interaction_create(
            vendor=vendors[key],
            actor=world.owner,
            client=None,
            contract=None,
            date=today - timedelta(days=10 + 30 * n),
            kind=InteractionKind.REVIEW,
            summary="Partner review for the whole practice: pricing for next year, partner-tier benefits, "
            "escalation contacts confirmed.",
            who=world.owner,
        )
