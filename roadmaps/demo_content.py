"""What the demo roadmaps say: goals and initiatives written for each demo client's industry, a few
recommendations every client gets in its own words, and the practice's initiative library.

Costs are Decimal strings per unit: `per="user"` is multiplied by the client's headcount, `per="site"`
by its locations, `per="flat"` is the whole project; "flat+user" (or "flat+site") gives a flat
one-time cost and a monthly cost per user (per site). Texts may name the client: `{name}`,
`{headcount}`, `{locations}`.
"""

from dataclasses import dataclass

from .models import Category as C
from .models import Priority as P


@dataclass(frozen=True)
class Idea:
    title: str
    category: str
    priority: str
    one_time: str
    monthly: str
    per: str  # "user", "site" or "flat"; "flat+user": a flat one-time cost and a monthly cost per user
    effort: int  # hours
    quarters: int  # duration
    description: str
    impact: str
    risk: str
    goals: tuple[int, ...] = ()  # indexes into the industry's goals


@dataclass(frozen=True)
class IndustryPlan:
    goals: list[tuple[str, str]]  # (title, description)
    ideas: list[Idea]
    themes: dict[str, int | None]  # what the common ideas serve: theme -> goal index (None: no goal)


# Data: an idea's numbers read better on one line than one number per line.
# fmt: off
PLANS: dict[str, IndustryPlan] = {
    "healthcare": IndustryPlan(
        goals=[
            (
                "Pass the HIPAA Security Rule risk assessment",
                "A documented risk analysis, a remediation plan and the evidence ready before the external "
                "audit next year.",
            ),
            (
                "Open a fourth clinic without adding IT staff",
                "A repeatable clinic build: network, imaging workstations, phones and accounts ready on "
                "opening day.",
            ),
            (
                "No patient days lost to IT outages",
                "Practice management and imaging available whenever the clinics are open.",
            ),
            (
                "Move practice management off the server closet",
                "Adopt the cloud edition of the practice-management system and retire the ageing server.",
            ),
        ],
        themes={"security": 0, "resilience": 2, "cost": None},
        ideas=[
            Idea(
                "HIPAA security risk analysis and remediation plan",
                C.COMPLIANCE, P.CRITICAL, "9500", "0", "flat", 60, 1,
                "Walk every system that stores or transmits ePHI across the {locations} clinics, rate the "
                "threats and write the remediation plan the Security Rule asks for.",
                "The document an auditor asks for first; turns a vague worry into a ranked, costed list.",
                "Without a current risk analysis a breach becomes a wilful-neglect finding, with the "
                "highest penalty tier.",
                (0,),
            ),
            Idea(
                "Encrypt every laptop and imaging workstation",
                C.SECURITY, P.HIGH, "40", "0", "user", 24, 1,
                "BitLocker with keys escrowed in Entra ID on every device that can hold X-rays or charts, "
                "with a compliance report per clinic.",
                "A lost or stolen device is no longer a reportable breach.",
                "One stolen laptop with unencrypted X-rays means notifying patients and HHS.",
                (0,),
            ),
            Idea(
                "Business associate agreements with every vendor touching PHI",
                C.COMPLIANCE, P.HIGH, "1800", "0", "flat", 16, 1,
                "Inventory the lab, imaging, billing and IT vendors that see patient data and get a signed "
                "BAA from each.",
                "Closes a common audit finding and clarifies who must report a breach.",
                "A vendor breach without a BAA lands on the practice.",
                (0,),
            ),
            Idea(
                "Move to the cloud edition of the practice-management system",
                C.SOFTWARE, P.HIGH, "16500", "38", "flat+user", 140, 2,
                "Migrate schedules, charts, ledgers and imaging links to the vendor's hosted edition; train "
                "front-desk staff clinic by clinic.",
                "No server to patch or back up; the schedule works from any clinic and from home.",
                "The on-premises server is out of warranty; a failure stops check-in at all clinics.",
                (3, 2),
            ),
            Idea(
                "Replace the imaging server and back up X-rays off-site",
                C.INFRASTRUCTURE, P.HIGH, "14000", "180", "flat", 40, 1,
                "New imaging server with mirrored disks and nightly encrypted copies of every X-ray and "
                "scan to an off-site vault.",
                "Fast image loads in the operatory; a recovery point that satisfies the dental board.",
                "Years of radiographs live on one ageing server with no off-site copy.",
                (2,),
            ),
            Idea(
                "Standard network and IT build for the fourth clinic",
                C.NETWORK, P.MEDIUM, "7500", "120", "flat", 60, 1,
                "A documented bill of materials and build checklist — firewall, switches, Wi-Fi, phones, "
                "printers, imaging — reusable for every new location.",
                "A new clinic opens on schedule with the same setup as the others.",
                "Each clinic built differently is harder to support and to secure.",
                (1,),
            ),
            Idea(
                "Secure e-mail for sending records to specialists",
                C.SECURITY, P.MEDIUM, "900", "4", "flat+user", 12, 1,
                "Encrypted e-mail for referrals and records requests, triggered by a keyword, with "
                "patient-friendly pickup.",
                "Referrals go out the same day without fax machines.",
                "Charts sent as plain attachments are an unsecured disclosure of PHI.",
                (0,),
            ),
            Idea(
                "Dual internet with automatic failover at every clinic",
                C.NETWORK, P.HIGH, "1800", "140", "site", 20, 1,
                "A second carrier at each clinic with automatic failover, so the cloud schedule and card "
                "payments keep working.",
                "An outage at one carrier no longer cancels a day of appointments.",
                "Moving to cloud software makes the internet line a single point of failure.",
                (2,),
            ),
            Idea(
                "Front-desk and operatory workstation refresh",
                C.END_USER, P.MEDIUM, "5750", "0", "site", 50, 2,
                "Replace the oldest front-desk and operatory PCs with Windows 11 machines sized for "
                "imaging software.",
                "Faster check-in and image loading; devices inside vendor support.",
                "Windows 10 PCs no longer get security updates and slow down chairside imaging.",
                (2,),
            ),
            Idea(
                "Cloud phone system with call recording for the front desk",
                C.SOFTWARE, P.MEDIUM, "60", "22", "user", 36, 1,
                "One phone system for all clinics with hunt groups, after-hours routing and call recording "
                "for training.",
                "Calls roll to another clinic when the front desk is busy; no missed new-patient calls.",
                "The old PBX is end-of-life and parts are scarce.",
                (1,),
            ),
            Idea(
                "Quarterly access reviews for patient records",
                C.PROCESS, P.MEDIUM, "1200", "0", "flat", 12, 1,
                "Each quarter the office manager confirms who can open charts and billing, with departed "
                "staff removed the same day.",
                "Evidence for the audit; fewer accounts an attacker can misuse.",
                "Former employees with live logins are a frequent HIPAA finding.",
                (0,),
            ),
            Idea(
                "Clinic downtime procedures and paper fallback",
                C.PROCESS, P.LOW, "2400", "0", "flat", 20, 1,
                "Printed next-day schedules, paper consent forms and a call tree so clinics keep seeing "
                "patients during an outage.",
                "Patients are seen even when systems are down.",
                "Staff improvise during outages and records get lost.",
                (2,),
            ),
        ],
    ),
    "legal": IndustryPlan(
        goals=[
            (
                "Finish the move to cloud document management",
                "Every matter in the DMS, the old file server read-only, then retired.",
            ),
            (
                "Answer client and insurer security questionnaires with evidence",
                "Outside-counsel guidelines and cyber-insurance renewals answered with proof, not promises.",
            ),
            (
                "Partners work from anywhere without VPN pain",
                "Court, home and client sites: fast, secure access to every matter.",
            ),
            (
                "No IT disruption during trials",
                "Systems and support that hold up when a trial team needs them most.",
            ),
        ],
        themes={"security": 1, "resilience": 3, "cost": None},
        ideas=[
            Idea(
                "Complete the NetDocuments migration and retire the file server",
                C.CLOUD, P.HIGH, "22000", "48", "flat+user", 160, 2,
                "Move the remaining practice groups' matters, profile them by client and matter number, "
                "then make the file server read-only for 90 days before retiring it.",
                "One place for every document, full-text search and version history for {headcount} users.",
                "Two systems of record mean lost versions and documents missed in discovery.",
                (0,),
            ),
            Idea(
                "File e-mail to matters from Outlook",
                C.SOFTWARE, P.MEDIUM, "3500", "6", "flat+user", 24, 1,
                "Predictive e-mail filing so correspondence lands in the matter workspace with one click.",
                "Complete matter files; associates stop keeping private PST archives.",
                "Key correspondence sits in individual mailboxes and walks out with departing lawyers.",
                (0,),
            ),
            Idea(
                "Ethical walls for conflicted matters",
                C.COMPLIANCE, P.HIGH, "6000", "0", "flat", 40, 1,
                "Screen conflicted lawyers from matters in the DMS, Teams and the billing system, with a "
                "log of every wall for the conflicts partner.",
                "Lateral hires can start without risking disqualification.",
                "A breached screen can cost the firm the client and the case.",
                (1,),
            ),
            Idea(
                "Security evidence pack for outside-counsel guidelines",
                C.COMPLIANCE, P.MEDIUM, "4500", "0", "flat", 30, 1,
                "Policies, MFA and encryption reports, training records and the incident plan in one pack, "
                "refreshed each quarter.",
                "Questionnaires answered in a day instead of two weeks of partner time.",
                "Banks and insurers move panel work to firms that can prove their controls.",
                (1,),
            ),
            Idea(
                "Phishing-resistant MFA with security keys for partners",
                C.SECURITY, P.HIGH, "70", "0", "user", 20, 1,
                "FIDO2 security keys for partners and finance staff, replacing text-message codes.",
                "Stops the adversary-in-the-middle phishing aimed at law-firm mailboxes.",
                "A compromised partner mailbox exposes privileged communications.",
                (1,),
            ),
            Idea(
                "Trial kit: hotspots, spare laptops and courtroom presentation gear",
                C.END_USER, P.MEDIUM, "9500", "160", "flat", 24, 1,
                "Two ready-to-go kits with LTE hotspots, preconfigured laptops, HDMI adapters and "
                "presentation software, checked before every trial.",
                "Trial teams stop discovering problems in the courtroom.",
                "A failed exhibit display in front of a jury is not recoverable.",
                (3,),
            ),
            Idea(
                "Replace the VPN with zero-trust remote access",
                C.NETWORK, P.MEDIUM, "15", "9", "user", 40, 1,
                "Per-application access from managed devices, with no full-network VPN tunnel.",
                "The DMS opens in seconds from court or home.",
                "The ageing VPN appliance is a known ransomware entry point.",
                (2,),
            ),
            Idea(
                "Standardise on one PDF and document-comparison suite",
                C.SOFTWARE, P.LOW, "0", "14", "user", 16, 1,
                "One licensed PDF, redaction and comparison tool for every desk, replacing four overlapping "
                "products.",
                "Consistent redaction that actually removes text; one set of training.",
                "Improper redaction has put privileged text in public filings at other firms.",
                (2,),
            ),
            Idea(
                "Upgrade the time-and-billing system",
                C.SOFTWARE, P.MEDIUM, "15000", "0", "flat", 90, 2,
                "Move to the supported release with mobile time entry and e-billing to LEDES.",
                "Time captured the same day; faster month-end billing.",
                "The current release leaves support at year end.",
                (2,),
            ),
            Idea(
                "Litigation hold and retention policies in Microsoft 365",
                C.COMPLIANCE, P.MEDIUM, "5200", "0", "flat", 36, 1,
                "Retention labels by practice group and a repeatable litigation-hold process for mailboxes "
                "and Teams.",
                "Defensible preservation when the firm itself is a party.",
                "Deleted messages under a hold can mean sanctions.",
                (1,),
            ),
            Idea(
                "Call-back verification for trust-account wires",
                C.PROCESS, P.CRITICAL, "2500", "0", "flat", 20, 1,
                "Out-of-band verification of every change to wiring instructions, bank alerts and a "
                "written procedure for the accounting team.",
                "Stops the closing-funds fraud that targets real-estate and settlement matters.",
                "A single diverted settlement wire can exceed the firm's insurance cover.",
                (1,),
            ),
            Idea(
                "Conference rooms ready for hybrid depositions",
                C.INFRASTRUCTURE, P.LOW, "8500", "45", "site", 30, 1,
                "Room cameras, ceiling microphones and one-touch join in each office's main conference room.",
                "Remote witnesses and co-counsel are heard clearly on the record.",
                "Court reporters flag inaudible remote testimony.",
                (2,),
            ),
        ],
    ),
    "finance": IndustryPlan(
        goals=[
            (
                "A clean NCUA IT examination",
                "Close last exam's findings and walk into the next one with evidence ready (ACET, GLBA "
                "Safeguards).",
            ),
            (
                "A board-approved three-year technology plan",
                "A plan the supervisory committee and the board can approve, with costs by fiscal year.",
            ),
            (
                "A modern member experience in branch and online",
                "Faster account opening, reliable online banking, fewer calls that IT could prevent.",
            ),
            (
                "Third-party risk under control",
                "Due diligence on the core processor and every critical fintech partner.",
            ),
            (
                "Branches that keep serving members through outages",
                "Connectivity, power and core access that survive a carrier or provider outage.",
            ),
        ],
        themes={"security": 0, "resilience": 4, "cost": 1},
        ideas=[
            Idea(
                "NCUA ACET maturity assessment and gap plan",
                C.COMPLIANCE, P.CRITICAL, "14000", "0", "flat", 80, 1,
                "Complete the Automated Cybersecurity Evaluation Toolbox with management, score each "
                "domain and turn the gaps into a dated plan for the board.",
                "Examiners see a credit union that knows its own maturity and is closing gaps.",
                "An unassessed programme invites a Document of Resolution.",
                (0,),
            ),
            Idea(
                "Remediate last exam's IT findings",
                C.COMPLIANCE, P.CRITICAL, "8500", "0", "flat", 70, 1,
                "Close the open findings — access reviews, patch reporting and the incident-response test — "
                "with evidence filed for the examiner.",
                "No repeat findings, which weigh heavily on the CAMELS management rating.",
                "Repeat findings escalate to formal enforcement.",
                (0,),
            ),
            Idea(
                "Refresh the GLBA information security programme",
                C.COMPLIANCE, P.HIGH, "6500", "0", "flat", 50, 1,
                "Update the written programme, risk assessment and the annual report to the board required "
                "by the Safeguards rules.",
                "A programme that matches how the credit union works today.",
                "An outdated programme is itself a finding.",
                (0, 1),
            ),
            Idea(
                "Vendor due diligence for the core processor and fintech partners",
                C.COMPLIANCE, P.HIGH, "7500", "450", "flat", 60, 2,
                "Collect SOC reports, financials and contracts for every critical vendor; rate them and "
                "schedule reviews in a vendor-management tool.",
                "Satisfies the examiner's third-party guidance and the board's oversight duty.",
                "A fintech partner's breach is the credit union's breach in the members' eyes.",
                (3,),
            ),
            Idea(
                "24×7 managed detection and response",
                C.SECURITY, P.CRITICAL, "3000", "12", "flat+user", 40, 1,
                "A security operations centre watching endpoints, Microsoft 365 and the firewalls around "
                "the clock, with containment authority.",
                "Intrusions are stopped at night and on weekends, not found on Monday.",
                "Financial institutions are the most targeted sector for ransomware crews.",
                (0,),
            ),
            Idea(
                "Dual-carrier SD-WAN for all branches",
                C.NETWORK, P.HIGH, "3200", "310", "site", 90, 2,
                "Two carriers per branch with SD-WAN steering teller, ATM and core traffic over whichever "
                "link is healthy.",
                "Branches stay open through a carrier outage at any of the {locations} locations.",
                "A cut fibre line closes a branch and its drive-through.",
                (4,),
            ),
            Idea(
                "Digital account opening integrated with the core",
                C.SOFTWARE, P.HIGH, "38000", "1200", "flat", 160, 3,
                "Open memberships and loans online in minutes with identity verification and automatic "
                "booking to the core.",
                "New members from outside the branch footprint; fewer paper applications.",
                "Younger members open accounts with the fintech that lets them do it on a phone.",
                (2,),
            ),
            Idea(
                "Interactive teller machines in two branches",
                C.INFRASTRUCTURE, P.MEDIUM, "96000", "900", "flat", 120, 2,
                "Video-teller ITMs in the two busiest branches, with extended hours served from a central "
                "team.",
                "Longer service hours without more tellers.",
                "Lines at peak hours push members to other institutions.",
                (2,),
            ),
            Idea(
                "Annual penetration test and social-engineering exercise",
                C.SECURITY, P.HIGH, "18000", "0", "flat", 24, 1,
                "External and internal penetration test plus a pretext-call and phishing exercise against "
                "branch staff, with a report to the supervisory committee.",
                "Independent evidence that controls work, as examiners expect.",
                "Untested controls fail the first time an attacker tries them.",
                (0,),
            ),
            Idea(
                "Disaster-recovery test with the core provider",
                C.DATA_BACKUP, P.HIGH, "4000", "0", "flat", 40, 1,
                "A scheduled failover test of core processing, online banking and card services with the "
                "provider, documented for the exam.",
                "Proof that the business-continuity plan works.",
                "An untested DR plan is a finding and a risk to members' access to funds.",
                (4,),
            ),
            Idea(
                "Three-year technology plan for the board",
                C.PROCESS, P.HIGH, "6000", "0", "flat", 40, 1,
                "A costed plan by fiscal year tied to the strategic plan, presented to the board for "
                "approval.",
                "The board approves IT spend once, with context, instead of project by project.",
                "Without a plan, technology spend is reactive and hard to defend to examiners.",
                (1,),
            ),
            Idea(
                "Teller workstation refresh",
                C.END_USER, P.MEDIUM, "9000", "0", "site", 60, 2,
                "Replace teller and member-service PCs with Windows 11 devices, receipt printers and "
                "signature pads certified for the core.",
                "Faster transactions at the window.",
                "Unsupported PCs on the teller line are an exam finding.",
                (2,),
            ),
            Idea(
                "Privileged access management for core and domain administrators",
                C.SECURITY, P.HIGH, "9000", "600", "flat", 60, 1,
                "Vaulted, time-limited admin credentials with session recording for the core, Active "
                "Directory and firewalls.",
                "Every administrative action is attributable.",
                "Standing admin accounts are the prize in every ransomware intrusion.",
                (0,),
            ),
        ],
    ),
    "manufacturing": IndustryPlan(
        goals=[
            (
                "CMMC Level 2 readiness for the defence contracts",
                "Protect CUI to NIST SP 800-171 and post a credible SPRS score before the prime asks again.",
            ),
            (
                "Segment and protect the shop-floor OT network",
                "CNC machines and the MES off the office network; no ransomware path to production.",
            ),
            (
                "Cut unplanned production downtime",
                "IT and OT that stay up across three shifts.",
            ),
            (
                "Connect the ERP to the shop floor",
                "Real-time job status from the machines to the ERP; no more clipboards.",
            ),
        ],
        themes={"security": 0, "resilience": 2, "cost": None},
        ideas=[
            Idea(
                "NIST SP 800-171 gap assessment and SPRS score",
                C.COMPLIANCE, P.CRITICAL, "16000", "0", "flat", 80, 1,
                "Assess all 110 requirements against how drawings and CUI really flow, and calculate the "
                "score the defence customer expects in SPRS.",
                "An honest score and a plan the prime contractor will accept.",
                "An inflated SPRS score is a False Claims Act exposure.",
                (0,),
            ),
            Idea(
                "System security plan and POA&M for CUI",
                C.COMPLIANCE, P.CRITICAL, "12000", "0", "flat", 90, 2,
                "Write the SSP describing the CUI boundary and controls, and a plan of action with dates "
                "for every open requirement.",
                "The two documents a CMMC assessor reads first.",
                "Without an SSP the contract's DFARS clause is not met at all.",
                (0,),
            ),
            Idea(
                "CUI enclave in Microsoft 365 GCC High",
                C.CLOUD, P.HIGH, "28000", "2200", "flat", 160, 3,
                "A separate, compliant tenant for the engineers and buyers who handle defence drawings, "
                "leaving the rest of the company on commercial Microsoft 365.",
                "Shrinks the assessment scope to the people who need it.",
                "Bringing all {headcount} staff into scope multiplies the cost of CMMC.",
                (0,),
            ),
            Idea(
                "OT network segmentation with industrial firewalls",
                C.NETWORK, P.CRITICAL, "22000", "250", "site", 120, 2,
                "Separate zones for CNC machines, robots and the MES, with industrial firewalls and only "
                "the flows production needs.",
                "A ransomware infection in the office cannot stop the machines.",
                "The flat network lets one phished laptop reach every controller.",
                (1,),
            ),
            Idea(
                "Inventory and monitor CNC controllers and PLCs",
                C.SECURITY, P.HIGH, "9500", "650", "flat", 50, 1,
                "Passive OT monitoring that lists every controller, its firmware and who talks to it, with "
                "alerts on unusual commands.",
                "Engineering finally has an accurate list of shop-floor assets.",
                "Unknown devices cannot be patched or protected.",
                (1,),
            ),
            Idea(
                "Replace Windows 7 machine-control PCs",
                C.END_USER, P.HIGH, "18000", "0", "flat", 70, 2,
                "Work with the machine vendors to move control and DNC PCs to supported systems, or isolate "
                "the ones that cannot move.",
                "Fewer machine stoppages from failing PCs.",
                "Unpatched Windows 7 machines are the easiest way into the plant.",
                (1, 2),
            ),
            Idea(
                "ERP upgrade with shop-floor data collection",
                C.SOFTWARE, P.HIGH, "65000", "1800", "flat", 300, 3,
                "Upgrade the ERP and add terminals at each work centre for job start, stop and scrap "
                "reporting.",
                "Real job costing and on-time-delivery numbers.",
                "Quotes are based on guesses about how long jobs really take.",
                (3,),
            ),
            Idea(
                "Warehouse Wi-Fi for scanners and forklifts",
                C.NETWORK, P.MEDIUM, "9500", "80", "site", 40, 1,
                "Industrial access points covering racking, shipping docks and forklift terminals.",
                "Barcode scanning works everywhere, so inventory is right.",
                "Dead spots mean manual entry and stock errors.",
                (3,),
            ),
            Idea(
                "Back up CNC programs and machine configurations",
                C.DATA_BACKUP, P.HIGH, "3500", "150", "flat", 30, 1,
                "Versioned backups of G-code, tool tables and controller parameters, restorable by the "
                "maintenance team.",
                "A crashed controller is back in hours, not days of reprogramming.",
                "Some programs exist only on the machine.",
                (2,),
            ),
            Idea(
                "FIPS-validated encryption for laptops and removable media",
                C.SECURITY, P.HIGH, "30", "0", "user", 30, 1,
                "Encryption in FIPS mode on every device in the CUI boundary and controlled USB media for "
                "drawings that must travel.",
                "Meets the 800-171 requirement for protecting CUI at rest.",
                "A lost USB drive with a defence drawing is a reportable incident.",
                (0,),
            ),
            Idea(
                "Shift-change kiosks on the shop floor",
                C.END_USER, P.LOW, "6000", "0", "site", 24, 1,
                "Shared kiosks for work instructions, quality documents and shift handover notes.",
                "Operators see the current revision of every instruction.",
                "Paper travellers with old revisions cause scrap.",
                (3,),
            ),
            Idea(
                "Production-down incident response playbook",
                C.COMPLIANCE, P.MEDIUM, "5500", "0", "flat", 32, 1,
                "Who decides to disconnect the plant, how to run manual production, and who tells the "
                "defence customer within 72 hours.",
                "A calm, rehearsed response instead of improvisation.",
                "DFARS requires reporting cyber incidents within 72 hours.",
                (2, 0),
            ),
        ],
    ),
    "construction": IndustryPlan(
        goals=[
            (
                "Reliable connectivity on every job site",
                "Trailers and crews online from day one of a project, not week three.",
            ),
            (
                "Paper off the job site",
                "Daily logs, timesheets, RFIs and safety forms on tablets.",
            ),
            (
                "Stop invoice and wire fraud",
                "Vendor bank-change checks and e-mail security that stop the scams aimed at contractors.",
            ),
            (
                "Run more concurrent projects with the same office team",
                "Standard kits and processes so a new job site takes hours to set up, not days.",
            ),
        ],
        themes={"security": 2, "resilience": None, "cost": None},
        ideas=[
            Idea(
                "Job-site connectivity kit with satellite backup",
                C.NETWORK, P.HIGH, "2400", "180", "site", 30, 1,
                "A cellular router and a satellite dish in a rugged case, preconfigured, shipped to each "
                "new trailer.",
                "Superintendents are online the day the trailer lands.",
                "Crews drive to the office to upload photos and timesheets.",
                (0, 3),
            ),
            Idea(
                "Rugged tablets for foremen with device management",
                C.END_USER, P.HIGH, "5200", "120", "site", 40, 1,
                "Drop-proof tablets enrolled in device management with the field apps preloaded, and "
                "remote wipe when one goes missing.",
                "Plans, RFIs and forms in the field, always the current revision.",
                "Building from an outdated drawing means rework.",
                (1,),
            ),
            Idea(
                "Project-management platform on every active project",
                C.SOFTWARE, P.HIGH, "12000", "2800", "flat", 120, 2,
                "Drawings, RFIs, submittals, daily logs and punch lists in one platform shared with "
                "subcontractors.",
                "Fewer disputes: every decision is logged with date and photo.",
                "E-mail chains and paper logs lose the evidence in a claim.",
                (1, 3),
            ),
            Idea(
                "Digital timesheets integrated with payroll",
                C.SOFTWARE, P.MEDIUM, "6500", "6", "flat+user", 40, 1,
                "Crews clock in on the tablet by job and cost code; hours flow to payroll and job costing.",
                "Payroll in hours instead of a day; real labour cost per job.",
                "Handwritten timesheets cause payroll errors and certified-payroll problems.",
                (1,),
            ),
            Idea(
                "Verify every vendor bank-detail change",
                C.PROCESS, P.CRITICAL, "1500", "0", "flat", 16, 1,
                "A written call-back rule for changed payment details, with a known phone number, and "
                "training for accounts payable.",
                "Stops the fake-subcontractor invoice scam at the last step.",
                "Contractors lose six figures to a single spoofed e-mail from a 'supplier'.",
                (2,),
            ),
            Idea(
                "Advanced e-mail security against invoice fraud",
                C.SECURITY, P.CRITICAL, "1200", "4", "flat+user", 16, 1,
                "Impersonation and look-alike-domain detection, banners on external mail and automatic "
                "removal of reported phishing.",
                "Fewer fraudulent invoices reach accounts payable.",
                "Business e-mail compromise is the costliest crime reported by contractors.",
                (2,),
            ),
            Idea(
                "Secure drawing exchange with subcontractors",
                C.CLOUD, P.MEDIUM, "3000", "250", "flat", 24, 1,
                "Shared project folders with expiry and download logs, replacing drawings e-mailed as "
                "attachments.",
                "Subcontractors always pull the current set.",
                "Mailed drawings go stale and leak to competitors.",
                (3,),
            ),
            Idea(
                "Standard job-trailer IT build",
                C.INFRASTRUCTURE, P.MEDIUM, "6500", "0", "site", 30, 1,
                "Printer, Wi-Fi, a plan-review screen and a camera in a standard build the yard can pack "
                "and ship.",
                "Every trailer works the same way; support knows what is there.",
                "Each superintendent buys their own gear, which nobody can support.",
                (3,),
            ),
            Idea(
                "Job-site cameras for security and progress",
                C.INFRASTRUCTURE, P.LOW, "3000", "90", "site", 20, 1,
                "Solar cellular cameras with time-lapse for progress and alerts after hours.",
                "Less theft of materials; progress photos for owners without a site visit.",
                "Copper and tool theft delays schedules.",
                (0,),
            ),
            Idea(
                "Plotter and large-format printing refresh",
                C.END_USER, P.LOW, "14000", "0", "flat", 16, 1,
                "Replace the two failing plotters at the main office with a managed large-format printer.",
                "Reliable plan sets for bids and the field.",
                "Plotter breakdowns before bid deadlines.",
                (3,),
            ),
            Idea(
                "Upgrade the estimating software",
                C.SOFTWARE, P.MEDIUM, "9000", "600", "flat", 50, 1,
                "Move estimating to the current release with digital takeoff and a shared cost database.",
                "Faster, consistent bids across estimators.",
                "The old release does not open the latest plan formats.",
                (3,),
            ),
            Idea(
                "Connect fleet telematics to dispatch",
                C.SOFTWARE, P.LOW, "4000", "875", "flat", 30, 1,
                "Vehicle and equipment location in the dispatch board; hours-of-use feeding maintenance.",
                "Equipment goes where it is needed; maintenance on time.",
                "Idle equipment is rented twice.",
                (3,),
            ),
        ],
    ),
    "retail": IndustryPlan(
        goals=[
            (
                "Shrink PCI DSS scope before the next assessment",
                "Point-to-point encrypted terminals and tokenised web payments, so most systems leave the "
                "cardholder-data environment.",
            ),
            (
                "One inventory across the stores and the web shop",
                "Stock levels that match online and in store; no more overselling.",
            ),
            (
                "Keep tills running on the busiest weekends",
                "POS, payments and internet that survive an outage at peak.",
            ),
            ("Grow online sales", "A faster, more reliable web shop integrated with the stores."),
        ],
        themes={"security": 0, "resilience": 2, "cost": None},
        ideas=[
            Idea(
                "P2PE payment terminals in every store",
                C.SECURITY, P.CRITICAL, "3200", "95", "site", 40, 1,
                "Validated point-to-point encryption terminals, so card data is encrypted at the swipe and "
                "never touches the POS.",
                "Moves the stores to the short SAQ P2PE and cuts assessment effort.",
                "Unencrypted card data on the POS network is the classic retail breach.",
                (0, 2),
            ),
            Idea(
                "PCI DSS 4.0 scope review and self-assessment",
                C.COMPLIANCE, P.HIGH, "5500", "0", "flat", 40, 1,
                "Map every card flow in the {locations} stores and the web shop, confirm the right SAQ and "
                "complete it with evidence.",
                "A defensible attestation for the acquiring bank.",
                "Non-compliance fees each month, and liability after a breach.",
                (0,),
            ),
            Idea(
                "Tokenised checkout on the web shop",
                C.SOFTWARE, P.HIGH, "6000", "150", "flat", 50, 1,
                "Move the web shop to the processor's hosted payment fields so card numbers never reach "
                "our servers.",
                "The web shop drops out of most PCI requirements.",
                "Web-skimming scripts steal card numbers from self-hosted checkouts.",
                (0, 3),
            ),
            Idea(
                "Unified inventory for POS and e-commerce",
                C.SOFTWARE, P.HIGH, "24000", "900", "flat", 140, 2,
                "One product catalogue and stock ledger shared by the stores and the web shop, with "
                "ship-from-store.",
                "No overselling; online orders fulfilled from the nearest store.",
                "Cancelled online orders and manual stock transfers.",
                (1, 3),
            ),
            Idea(
                "Separate guest Wi-Fi and payment networks in every store",
                C.NETWORK, P.HIGH, "2800", "40", "site", 30, 1,
                "Segmented networks for payments, staff, cameras and guest Wi-Fi, with firewall rules "
                "documented for PCI.",
                "Guest devices can never reach a till.",
                "A flat store network puts everything in PCI scope.",
                (0,),
            ),
            Idea(
                "LTE failover for store internet and card payments",
                C.NETWORK, P.HIGH, "900", "60", "site", 16, 1,
                "Cellular backup on each store router, so cards keep authorising when the line drops.",
                "No 'cash only' signs on a Saturday.",
                "A line outage on a peak weekend loses a day's takings.",
                (2,),
            ),
            Idea(
                "Web shop platform upgrade and speed work",
                C.SOFTWARE, P.MEDIUM, "18000", "350", "flat", 120, 2,
                "Upgrade the storefront, compress images and fix the slow checkout pages found in testing.",
                "Faster pages convert better on phones.",
                "The current version leaves security support this year.",
                (3,),
            ),
            Idea(
                "Loss-prevention camera refresh",
                C.INFRASTRUCTURE, P.MEDIUM, "7500", "60", "site", 40, 1,
                "Replace analogue cameras with IP cameras linked to POS events, so voids and refunds can "
                "be reviewed with video.",
                "Lower shrink; faster investigations.",
                "Unreadable footage when an incident happens.",
                (2,),
            ),
            Idea(
                "Handheld scanners for stock counts",
                C.END_USER, P.MEDIUM, "2600", "0", "site", 16, 1,
                "Handheld computers that count directly into the inventory system.",
                "Cycle counts every week instead of twice a year.",
                "Inaccurate stock figures online.",
                (1,),
            ),
            Idea(
                "E-commerce fraud screening",
                C.SECURITY, P.MEDIUM, "1500", "220", "flat", 16, 1,
                "Automatic scoring of web orders, with manual review for risky ones before shipping.",
                "Fewer chargebacks.",
                "Chargeback fees and lost goods.",
                (3,),
            ),
            Idea(
                "Seasonal staff onboarding and offboarding runbook",
                C.PROCESS, P.MEDIUM, "1800", "0", "flat", 20, 1,
                "Named POS logins for seasonal staff, created and removed on a checklist tied to payroll.",
                "Meets the PCI rule of unique IDs; no shared till logins.",
                "Shared logins make refunds fraud impossible to trace.",
                (0,),
            ),
            Idea(
                "File integrity monitoring on the web shop",
                C.SECURITY, P.MEDIUM, "1200", "110", "flat", 12, 1,
                "Alerts when checkout page scripts change, as PCI DSS 4.0 requires.",
                "Skimming code is spotted in hours.",
                "Skimmers run for months unnoticed.",
                (0,),
            ),
        ],
    ),
    "nonprofit": IndustryPlan(
        goals=[
            (
                "Stretch every grant dollar with nonprofit licensing",
                "Donated or discounted licences applied everywhere they fit.",
            ),
            (
                "Protect client case records",
                "Confidential client data secured to funders' and state requirements.",
            ),
            (
                "Report outcomes to funders without spreadsheets",
                "Case and programme data in one system; funder reports in minutes.",
            ),
            (
                "Volunteers and part-timers productive from day one",
                "Simple onboarding and shared devices that just work.",
            ),
        ],
        themes={"security": 1, "resilience": 1, "cost": 0},
        ideas=[
            Idea(
                "Move to Microsoft 365 Business Premium with nonprofit grants",
                C.CLOUD, P.HIGH, "3500", "5.50", "flat+user", 40, 1,
                "Apply the nonprofit grant and discounts, move mailboxes and files, and switch on the "
                "security features the plan includes.",
                "Better security for less than today's mixed licences.",
                "Paying commercial prices for what the organisation could get donated.",
                (0,),
            ),
            Idea(
                "Apply for TechSoup and Google for Nonprofits programmes",
                C.PROCESS, P.MEDIUM, "600", "0", "flat", 10, 1,
                "Validate the organisation once and claim the donated software, ad grants and hardware "
                "discounts available.",
                "Thousands in donated software and ads each year.",
                "Money left on the table every year.",
                (0,),
            ),
            Idea(
                "Case-management system for client records",
                C.SOFTWARE, P.HIGH, "12000", "35", "flat+user", 120, 2,
                "One case-management system with role-based access, consent tracking and audit logs, "
                "replacing shared spreadsheets.",
                "Every client's history in one place; outcomes measurable.",
                "Confidential records in spreadsheets anyone can copy.",
                (1, 2),
            ),
            Idea(
                "Outcome dashboards for grant reports",
                C.SOFTWARE, P.MEDIUM, "6500", "90", "flat", 50, 1,
                "Dashboards built on the case data, matching each funder's reporting template.",
                "Grant reports in an hour instead of a week.",
                "Late or inconsistent reports put renewals at risk.",
                (2,),
            ),
            Idea(
                "Shared, locked-down devices for volunteers",
                C.END_USER, P.MEDIUM, "4800", "60", "flat", 24, 1,
                "Shared laptops with guest sign-in, nothing saved locally and the volunteer apps pinned.",
                "Volunteers start working in minutes.",
                "Volunteers on personal devices take client data home.",
                (3,),
            ),
            Idea(
                "Volunteer onboarding and offboarding checklist",
                C.PROCESS, P.MEDIUM, "900", "0", "flat", 10, 1,
                "A checklist for accounts, confidentiality agreements and device returns for every "
                "volunteer and part-timer.",
                "Access ends when the volunteering does.",
                "Former volunteers keep access to case files.",
                (3, 1),
            ),
            Idea(
                "Donor database clean-up and backups",
                C.DATA_BACKUP, P.MEDIUM, "2800", "40", "flat", 30, 1,
                "Merge duplicate donors, fix addresses and back the database up daily.",
                "Better appeals; the donor list survives a bad day.",
                "Duplicate mailings irritate donors; a corrupted database loses them.",
                (2,),
            ),
            Idea(
                "Retire the donated server for cloud file storage",
                C.CLOUD, P.MEDIUM, "4500", "0", "flat", 40, 1,
                "Move shared folders to SharePoint with the nonprofit licences and switch off the "
                "eight-year-old donated server.",
                "No more hardware to maintain; files reachable from outreach sites.",
                "The server has no warranty and no tested backup.",
                (0,),
            ),
            Idea(
                "Grant-funded laptop refresh",
                C.END_USER, P.LOW, "650", "0", "user", 40, 2,
                "Refurbished business laptops through the nonprofit hardware programme, funded by the next "
                "capacity grant.",
                "Staff stop losing time to slow machines.",
                "Failing laptops are replaced piecemeal at full price.",
                (0,),
            ),
            Idea(
                "Confidentiality training and acceptable-use policy",
                C.COMPLIANCE, P.HIGH, "1200", "2", "flat+user", 16, 1,
                "Short annual training on client confidentiality and phishing, and a signed acceptable-use "
                "policy for staff and volunteers.",
                "Funders' data-protection requirements met and documented.",
                "One careless e-mail can expose a survivor's location.",
                (1,),
            ),
            Idea(
                "Encrypted e-mail for partner agencies",
                C.SECURITY, P.HIGH, "500", "3", "flat+user", 10, 1,
                "Encrypt referrals and case notes sent to shelters, clinics and courts.",
                "Referrals are both fast and confidential.",
                "Sensitive details sent in clear text.",
                (1,),
            ),
            Idea(
                "Technology section for the next capacity-building grant",
                C.PROCESS, P.LOW, "1500", "0", "flat", 12, 1,
                "A costed technology plan and narrative ready to drop into capacity-building applications.",
                "Technology funded by grants instead of the operating budget.",
                "Applications go in without the IT needs that could have been funded.",
                (0,),
            ),
        ],
    ),
    "education": IndustryPlan(
        goals=[
            (
                "Safe, filtered internet for every student",
                "CIPA-compliant filtering and monitoring on campus and on take-home devices.",
            ),
            (
                "Protect student records under FERPA",
                "Student information system access reviewed; records shared only as FERPA allows.",
            ),
            (
                "One-to-one devices for grades 3–12",
                "A Chromebook for every student, with a funded four-year refresh cycle.",
            ),
            (
                "Make the most of E-rate funding",
                "File on time each winter and claim every eligible network dollar.",
            ),
        ],
        themes={"security": 1, "resilience": 1, "cost": None},
        ideas=[
            Idea(
                "Chromebook refresh for grades 3–12",
                C.END_USER, P.HIGH, "96000", "0", "flat", 120, 2,
                "About 320 Chromebooks with management licences, cases and asset tags, deployed over the "
                "summer break.",
                "Every student has a working device on the first day of school.",
                "Auto-update expiry ends security updates on the current fleet.",
                (2,),
            ),
            Idea(
                "Upgrade to Google Workspace for Education Plus",
                C.CLOUD, P.MEDIUM, "2500", "420", "flat", 30, 1,
                "Security centre, data-loss prevention for student data and longer retention.",
                "Admins can see and stop student-data leaks.",
                "Student records shared publicly from Drive by mistake.",
                (0, 1),
            ),
            Idea(
                "Content filtering and student safety monitoring",
                C.SECURITY, P.CRITICAL, "2500", "640", "flat", 30, 1,
                "Filtering that follows the Chromebook home, with self-harm and bullying alerts routed to "
                "counsellors.",
                "CIPA compliance and a real safeguarding tool.",
                "Unfiltered take-home devices are a safeguarding and E-rate eligibility problem.",
                (0,),
            ),
            Idea(
                "E-rate Form 470 and 471 filing for Category 2",
                C.PROCESS, P.HIGH, "2000", "0", "flat", 24, 1,
                "Run the competitive-bidding window, evaluate bids and file the 471 before the winter "
                "deadline.",
                "Discounts on eligible network equipment and services.",
                "A missed deadline forfeits a year of funding.",
                (3,),
            ),
            Idea(
                "Classroom Wi-Fi 6E upgrade under E-rate Category 2",
                C.NETWORK, P.HIGH, "68000", "180", "flat", 120, 2,
                "An access point in every classroom and the gym, and new switches, funded in part by E-rate.",
                "Online testing and video lessons without dropouts.",
                "State testing sessions fail on congested Wi-Fi.",
                (3, 2),
            ),
            Idea(
                "Student information system access review",
                C.COMPLIANCE, P.HIGH, "2400", "0", "flat", 20, 1,
                "Check who can read grades, health notes and custody information; remove what roles do "
                "not need.",
                "FERPA compliance parents can trust.",
                "Staff seeing records they have no reason to see.",
                (1,),
            ),
            Idea(
                "FERPA data-sharing agreements with ed-tech apps",
                C.COMPLIANCE, P.MEDIUM, "3500", "0", "flat", 30, 1,
                "Inventory the apps teachers use, sign the state student-data privacy agreement with each "
                "and block the rest.",
                "Parents know which companies hold their children's data.",
                "Free apps that sell student data.",
                (1,),
            ),
            Idea(
                "Classroom displays and wireless casting",
                C.INFRASTRUCTURE, P.MEDIUM, "42000", "0", "flat", 60, 2,
                "Interactive displays replacing projectors, with casting from teacher laptops and "
                "Chromebooks.",
                "Lessons start on time; students can share work.",
                "Projector bulbs fail mid-lesson and replacements are discontinued.",
                (2,),
            ),
            Idea(
                "Visitor management and door access integration",
                C.SECURITY, P.MEDIUM, "15000", "220", "flat", 40, 1,
                "Visitor sign-in with ID scanning tied to the door-access system and a lockdown button.",
                "A safer campus and a record of everyone on site.",
                "Unknown adults on campus.",
                (0,),
            ),
            Idea(
                "Device lending and repair desk",
                C.PROCESS, P.LOW, "3000", "0", "flat", 20, 1,
                "Loaner pool, repair tracking and a student tech-help rota in the library.",
                "Broken devices swapped in minutes; students learn support skills.",
                "Students without devices for days.",
                (2,),
            ),
            Idea(
                "Faculty laptop refresh",
                C.END_USER, P.MEDIUM, "54000", "0", "flat", 60, 2,
                "Replace the oldest half of faculty laptops over the summer.",
                "Teachers on reliable devices for grading and lessons.",
                "Devices from 2019 are out of support.",
                (2,),
            ),
            Idea(
                "Cyber-insurance readiness for the school",
                C.COMPLIANCE, P.HIGH, "1500", "0", "flat", 16, 1,
                "Evidence of MFA, backups, training and the response plan for the renewal questionnaire.",
                "Cover renewed at a reasonable premium.",
                "Schools are ransomware targets; insurers decline without evidence.",
                (1,),
            ),
        ],
    ),
}

# Recommended to every client (each gets a few), described with the client's name.
COMMON = [
    (
        "security",
        Idea(
            "Multi-factor authentication everywhere",
            C.SECURITY, P.CRITICAL, "25", "0", "user", 24, 1,
            "MFA with number matching for e-mail, remote access and every admin account at {name}.",
            "Blocks almost every password-based account takeover; insurers require it.",
            "A single phished password opens the mailbox and, from there, the bank account.",
        ),
    ),
    (
        "security",
        Idea(
            "Endpoint detection and response on every device",
            C.SECURITY, P.HIGH, "1200", "8", "flat+user", 24, 1,
            "Replace the legacy antivirus on {headcount} users' devices with EDR monitored around the clock.",
            "Ransomware is isolated on the first machine, not the whole network.",
            "Legacy antivirus does not stop hands-on-keyboard attackers.",
        ),
    ),
    (
        "resilience",
        Idea(
            "Immutable cloud backups with quarterly restore tests",
            C.DATA_BACKUP, P.CRITICAL, "3000", "4.50", "flat+user", 24, 1,
            "Backups attackers cannot delete, for servers and Microsoft 365, with a restore test reported "
            "each quarter.",
            "A ransomware attack becomes a restore, not a ransom negotiation.",
            "Backups on the same network are encrypted along with everything else.",
        ),
    ),
    (
        "security",
        Idea(
            "Security awareness training and phishing simulations",
            C.SECURITY, P.HIGH, "500", "3", "flat+user", 12, 4,
            "Monthly five-minute lessons and simulated phishing for all {headcount} staff, with a report "
            "for leadership.",
            "Staff report phishing instead of clicking it.",
            "People remain the first way in for most attacks.",
        ),
    ),
    (
        "cost",
        Idea(
            "Microsoft 365 licence right-sizing",
            C.PROCESS, P.LOW, "900", "0", "flat", 12, 1,
            "Match every licence to what each person uses; remove leavers' and duplicate add-ons.",
            "Typically saves 10–15% of the Microsoft bill.",
            "Paying for unused licences every month.",
        ),
    ),
    (
        "security",
        Idea(
            "Company password manager",
            C.SECURITY, P.MEDIUM, "0", "4", "user", 10, 1,
            "Shared vaults per team and personal vaults for everyone, replacing the spreadsheet of "
            "passwords.",
            "Strong, unique passwords without sticky notes.",
            "Reused passwords turn one breached website into a breach of {name}.",
        ),
    ),
    (
        "resilience",
        Idea(
            "Incident response plan and tabletop exercise",
            C.COMPLIANCE, P.HIGH, "5200", "0", "flat", 32, 1,
            "A written plan naming who decides what, and a two-hour tabletop exercise with {name}'s "
            "leadership.",
            "Leaders know their first hour of a cyber incident before it happens.",
            "Costly mistakes in the first hours of an incident.",
        ),
    ),
]

# The demo practice's initiative library: what a vCIO recommends again and again. Costs are for a
# typical client of about 50 people.
# title, category, priority, one-time, monthly, effort, tags, description, business impact, risk
LIBRARY = [
    ("Roll out multi-factor authentication", C.SECURITY, P.CRITICAL, "2500", "0", 24,
     "security, identity, insurance",
     "Require MFA with number matching for e-mail, VPN, remote desktop and every admin account; "
     "register staff in person or by video.",
     "Stops most account-takeover attacks; required by nearly every cyber-insurance carrier.",
     "A phished password opens the mailbox and the path to fraud or ransomware."),
    ("Endpoint detection and response with 24×7 monitoring", C.SECURITY, P.CRITICAL, "1500", "450", 20,
     "security, ransomware, insurance",
     "Replace legacy antivirus with EDR watched by a security operations centre that can isolate a "
     "device at 3 a.m.",
     "Ransomware is contained on the first device.",
     "Attackers disable legacy antivirus and work undisturbed overnight."),
    ("Security awareness training and phishing simulations", C.SECURITY, P.HIGH, "500", "150", 12,
     "security, training, insurance",
     "Short monthly lessons and simulated phishing with a quarterly report to leadership.",
     "Staff report suspicious e-mail instead of clicking it.",
     "People remain the first way in for most breaches."),
    ("Company password manager", C.SECURITY, P.MEDIUM, "300", "200", 10,
     "security, identity",
     "Team and personal vaults, browser integration and a breach-monitoring report.",
     "Strong unique passwords without spreadsheets or sticky notes.",
     "Reused passwords turn another site's breach into ours."),
    ("Advanced e-mail security and impersonation protection", C.SECURITY, P.HIGH, "800", "200", 12,
     "security, email, fraud",
     "Look-alike-domain and executive-impersonation detection, external-sender banners and one-click "
     "reporting.",
     "Fewer fraudulent payment requests reach finance.",
     "Business e-mail compromise is the costliest cybercrime for small businesses."),
    ("Privileged access management for admin accounts", C.SECURITY, P.HIGH, "4500", "300", 40,
     "security, identity, admin",
     "Separate, vaulted admin accounts with just-in-time elevation and session logs.",
     "Every administrative action is attributable and time-limited.",
     "Standing domain-admin accounts are the prize in every ransomware intrusion."),
    ("Conditional access and device compliance policies", C.SECURITY, P.HIGH, "3000", "0", 30,
     "security, identity, microsoft 365",
     "Only managed, healthy devices reach company data; risky sign-ins blocked or challenged.",
     "Stolen passwords are useless from an attacker's laptop.",
     "Personal, unpatched devices with full access to company data."),
    ("Annual external penetration test", C.SECURITY, P.HIGH, "12000", "0", 16,
     "security, testing, compliance",
     "An independent test of internet-facing systems and Wi-Fi, with a retest of the findings.",
     "Independent evidence for insurers, auditors and customers.",
     "Untested defences fail the first time they are tried."),
    ("Vulnerability scanning and patch reporting", C.SECURITY, P.MEDIUM, "1500", "250", 16,
     "security, patching",
     "Monthly authenticated scans of servers, PCs and network devices with a patch-compliance report.",
     "Known holes are closed before they are exploited.",
     "Most breaches exploit vulnerabilities patched months earlier."),
    ("DNS filtering for every device", C.SECURITY, P.MEDIUM, "400", "120", 6,
     "security, web",
     "Block malicious and newly registered domains on and off the network.",
     "Stops many phishing links and malware downloads before they load.",
     "Laptops off the network browse unprotected."),
    ("Written information security policy set", C.COMPLIANCE, P.HIGH, "6000", "0", 40,
     "compliance, policy, insurance",
     "Acceptable use, access control, backup, incident response and vendor policies, approved by "
     "leadership.",
     "The foundation every audit, questionnaire and insurer asks for.",
     "Without policies, controls depend on who happens to be in the office."),
    ("Incident response plan and tabletop exercise", C.COMPLIANCE, P.HIGH, "5200", "0", 32,
     "compliance, resilience, insurance",
     "A written plan with roles, contacts and decisions, rehearsed with leadership in a two-hour "
     "scenario.",
     "Leaders know what to do in the first hour.",
     "Panic decisions in an incident raise its cost."),
    ("Cyber-insurance questionnaire evidence pack", C.COMPLIANCE, P.MEDIUM, "1500", "0", 12,
     "compliance, insurance",
     "Screenshots and reports proving MFA, EDR, backups and training, refreshed before each renewal.",
     "Renewals at better premiums; claims not denied for misstatements.",
     "An inaccurate questionnaire answer can void the policy."),
    ("HIPAA security risk analysis", C.COMPLIANCE, P.CRITICAL, "9500", "0", 60,
     "hipaa, healthcare, compliance",
     "A documented analysis of every system holding ePHI, with a ranked, costed remediation plan.",
     "Meets the first requirement of the Security Rule; directs spending at real risk.",
     "No risk analysis turns a breach into wilful neglect."),
    ("PCI DSS scope reduction and self-assessment", C.COMPLIANCE, P.HIGH, "5500", "0", 40,
     "pci, retail, payments",
     "Map card flows, move to P2PE terminals and hosted payment pages, and complete the right SAQ.",
     "Fewer systems in scope and a shorter assessment every year.",
     "Monthly non-compliance fees and liability for fraud after a breach."),
    ("NIST SP 800-171 and CMMC Level 2 gap assessment", C.COMPLIANCE, P.CRITICAL, "16000", "0", 80,
     "cmmc, defence, cui, nist",
     "Assess the 110 requirements, score SPRS honestly and plan the system security plan and POA&M.",
     "Keeps defence contracts and prepares for certification.",
     "An overstated SPRS score is a legal exposure; missing it can cost the contract."),
    ("Vendor risk review of critical SaaS providers", C.COMPLIANCE, P.MEDIUM, "2400", "0", 24,
     "compliance, vendors",
     "Collect SOC 2 reports and security terms from the ten vendors that hold the most data.",
     "Know which vendors could hurt the business and what they promise.",
     "A vendor breach exposes our clients' data."),
    ("Data classification and retention policy", C.COMPLIANCE, P.MEDIUM, "3400", "0", 28,
     "compliance, data, microsoft 365",
     "Sensitivity labels and retention rules for the data types the business keeps.",
     "Less data to protect; legal holds possible.",
     "Keeping everything forever multiplies breach impact."),
    ("Immutable off-site backups with quarterly restore tests", C.DATA_BACKUP, P.CRITICAL, "3000", "350", 24,
     "backup, ransomware, resilience, insurance",
     "Backups attackers cannot delete, off site, with a restore test documented every quarter.",
     "A ransomware attack becomes a restore, not a negotiation.",
     "Backups on the same network are encrypted with everything else."),
    ("Microsoft 365 backup", C.DATA_BACKUP, P.HIGH, "500", "150", 8,
     "backup, microsoft 365",
     "Daily backup of mailboxes, OneDrive, SharePoint and Teams with three-year retention.",
     "Deleted or encrypted cloud files come back in minutes.",
     "Microsoft's recycle bins are not a backup."),
    ("Disaster recovery plan with recovery-time targets", C.DATA_BACKUP, P.HIGH, "4500", "0", 40,
     "resilience, continuity",
     "Agree how long each system may be down, document the recovery steps and test them.",
     "Leadership knows the real recovery time.",
     "Recovery takes days because nobody knows the order."),
    ("Disaster recovery to Azure for critical servers", C.DATA_BACKUP, P.HIGH, "11500", "1150", 100,
     "resilience, cloud, azure",
     "Replicate critical servers to Azure and fail over in hours when the office is lost.",
     "Business continues after a fire, flood or ransomware.",
     "A site loss stops the business for weeks."),
    ("Replace end-of-life firewalls", C.NETWORK, P.HIGH, "8500", "180", 30,
     "network, security, lifecycle",
     "Next-generation firewalls with security subscriptions, configured to a documented standard.",
     "Supported hardware with current threat protection.",
     "Out-of-support firewalls are a leading ransomware entry point."),
    ("Wi-Fi 6 upgrade", C.NETWORK, P.MEDIUM, "9000", "60", 30,
     "network, wifi",
     "Survey and replace access points with cloud-managed Wi-Fi 6, separate guest and staff networks.",
     "Reliable video calls and roaming across the building.",
     "Dropped calls and an insecure guest network."),
    ("Dual internet with automatic failover", C.NETWORK, P.HIGH, "1500", "180", 12,
     "network, resilience",
     "A second carrier on a different path and automatic failover at the firewall.",
     "A carrier outage no longer stops cloud apps and phones.",
     "Cloud-first businesses stop when the one line drops."),
    ("SD-WAN between locations", C.NETWORK, P.MEDIUM, "12000", "600", 60,
     "network, multi-site",
     "Centrally managed links between sites with traffic steering and a single security policy.",
     "Consistent performance and one policy for every site.",
     "Branch networks drift apart and break."),
    ("Network segmentation", C.NETWORK, P.HIGH, "4000", "0", 40,
     "network, security",
     "Separate networks for staff, guests, phones, cameras, printers and servers with rules between "
     "them.",
     "An infected device cannot reach everything.",
     "A flat network lets attackers move freely."),
    ("Migrate file shares to SharePoint and OneDrive", C.CLOUD, P.MEDIUM, "9500", "0", 90,
     "cloud, microsoft 365, files",
     "Move departmental shares to SharePoint sites and personal drives to OneDrive, with permissions "
     "cleaned up.",
     "Files from anywhere, versioning and no file server to maintain.",
     "An ageing file server and a VPN for every remote worker."),
    ("Retire the on-premises domain controller", C.INFRASTRUCTURE, P.MEDIUM, "7800", "0", 70,
     "cloud, identity, entra id",
     "Move devices to Entra ID join and Intune, then decommission the last domain controller.",
     "One identity system; one less server.",
     "An unsupported server holding the keys to every account."),
    ("Cloud e-mail archiving", C.CLOUD, P.LOW, "1500", "120", 12,
     "cloud, email, compliance",
     "Move the PST files and on-premises archive to a searchable cloud archive.",
     "Searchable mail for legal and HR requests.",
     "PST files lost with laptops."),
    ("Laptop refresh on a four-year cycle", C.END_USER, P.MEDIUM, "35000", "0", 80,
     "hardware, lifecycle",
     "Replace the oldest quarter of the fleet each year, deployed with Autopilot.",
     "Predictable hardware spend; no five-year-old laptops.",
     "Failing devices replaced in a rush at full price."),
    ("Windows 11 upgrade for remaining PCs", C.END_USER, P.HIGH, "4000", "0", 40,
     "windows, lifecycle, security",
     "Upgrade or replace every PC still on Windows 10, after application testing.",
     "Every PC receives security updates.",
     "Windows 10 no longer receives security updates."),
    ("Mobile device management for phones and tablets", C.END_USER, P.MEDIUM, "2100", "260", 30,
     "mobile, security, intune",
     "Enrol company and personal phones; protect company apps and wipe them when someone leaves.",
     "Company data leaves with the company, not the employee.",
     "Client data on lost or former employees' phones."),
    ("Zero-touch laptop deployment with Autopilot", C.END_USER, P.LOW, "3500", "0", 30,
     "hardware, onboarding, intune",
     "Laptops ship straight to the employee and configure themselves at first sign-in.",
     "New hires productive on day one, wherever they are.",
     "Hours of hand imaging for every laptop."),
    ("Replace the ageing server", C.INFRASTRUCTURE, P.HIGH, "14000", "200", 60,
     "server, lifecycle",
     "Move the remaining workloads to the cloud or a right-sized new server with warranty.",
     "Supported hardware for the line-of-business application.",
     "A failed disk in an out-of-warranty server stops the business."),
    ("UPS and power protection for network closets", C.INFRASTRUCTURE, P.MEDIUM, "4800", "0", 16,
     "power, resilience",
     "Network-managed UPS units with battery monitoring and clean shutdown.",
     "Brown-outs no longer reboot the network.",
     "Power events corrupt servers and switches."),
    ("Teams Phone to replace the ageing phone system", C.SOFTWARE, P.MEDIUM, "6800", "410", 45,
     "phones, microsoft 365",
     "Move numbers to Teams Phone with auto-attendants, call queues and desk phones where needed.",
     "One app for chat, meetings and calls; no PBX to maintain.",
     "An end-of-life PBX with no spare parts."),
    ("Line-of-business application upgrade", C.SOFTWARE, P.MEDIUM, "15000", "500", 100,
     "software, lifecycle",
     "Upgrade the core business application to the vendor's supported release, with testing and "
     "training.",
     "New features and continued vendor support.",
     "Unsupported versions block other upgrades."),
    ("Microsoft 365 licence right-sizing", C.PROCESS, P.LOW, "900", "0", 12,
     "cost, microsoft 365",
     "Match licences to use, remove leavers' licences and duplicate add-ons.",
     "Typically saves 10–15% of the Microsoft bill.",
     "Paying for unused licences every month."),
    ("Onboarding and offboarding runbook", C.PROCESS, P.MEDIUM, "1800", "0", 20,
     "process, identity, hr",
     "One checklist from HR notice to accounts, devices and access — created and removed on time.",
     "New hires ready on day one; leavers' access gone the same day.",
     "Former employees with working accounts."),
    ("IT asset inventory and lifecycle plan", C.PROCESS, P.MEDIUM, "2500", "0", 24,
     "process, lifecycle, budget",
     "An inventory of devices, licences and warranties with replacement dates feeding the budget.",
     "No surprise replacements; a budget that follows the fleet.",
     "Emergency purchases when devices die."),
    ("Three-year technology roadmap and budget", C.PROCESS, P.HIGH, "4000", "0", 30,
     "strategy, budget",
     "A costed roadmap by fiscal year tied to the business's goals, reviewed each quarter.",
     "Technology spending planned, not reactive.",
     "Budgets blown by surprises."),
    ("Part-time IT coordinator on site", C.STAFFING, P.LOW, "0", "3200", 10,
     "staffing, support",
     "A part-time coordinator for desk-side help, vendors and onboarding, working with the MSP.",
     "Faster help for staff; someone who knows the office.",
     "Office managers doing IT instead of their job."),
]
# fmt: on
