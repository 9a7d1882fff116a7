"""Scale data of the vendors app (`vcio.scale`): every practice's vendor directory (about eight vendors,
times the factor) and every client's contracts (about six, times the factor) dated like the demo's —
most auto-renewing months ahead, some inside their notice window, a few cancelled — with a
relationship-log entry or two and the audit rows the pages read. Registered in `VendorsConfig.ready()`
(after clients and roadmaps); the budgets' and QBRs' seeders read `batch.extra["vendors"]` and
`batch.extra["contracts"]`."""

from datetime import timedelta

from vcio.scale import ScaleBatch

from .demo import INTERACTIONS, VENDORS, _specs_for, _terms
from .models import Contract, ContractStatus, Interaction, Vendor

VENDORS_PER_PRACTICE = 8
CONTRACTS_PER_CLIENT = 6
KEYS = list(VENDORS)


def seed_vendors_at_scale(batch: ScaleBatch) -> None:
    vendors, contracts, interactions = [], [], []
    vendor_history, contract_history, interaction_history = [], [], []
    for item in batch.practices:
        rng, practice, factor = item.rng, item.practice, item.factor
        editors = item.editors
        # The directory: the demo's vendors (numbered beyond them in the Big practice).
        own = {}
        count = VENDORS_PER_PRACTICE * factor
        picked = rng.sample(KEYS, min(count, len(KEYS)))
        for n in range(count):
            key = picked[n % len(picked)]
            name, category, website, manager, support = VENDORS[key]
            suffix = "" if n < len(picked) else f" (region {n // len(picked) + 1})"
            first = manager.split(" ")[0].lower() if manager else ""
            vendor = Vendor(
                practice=practice,
                name=f"{name}{suffix}",
                category=category,
                website=f"https://{website}",
                account_manager_name=manager,
                account_manager_email=f"{first}@{website}" if manager else "",
                account_manager_phone=f"+1 555 02{rng.randint(10, 99)}" if manager else "",
                support_contact=support,
            )
            vendors.append(vendor)
            own.setdefault(key, vendor)
            vendor_history.append({"obj": vendor, "type": "+", "date": batch.past(rng), "user": item.owner})
        practice_vendors = vendors[-count:]
        # Every demo vendor key names one of the practice's vendors (its own, else another one).
        by_key = {key: own.get(key) or rng.choice(practice_vendors) for key in KEYS}
        item.extra["vendors"] = practice_vendors
        item.extra["contracts"] = []
        for i, client in enumerate(item.clients):
            specs = _specs_for(client, i)
            for j in range(rng.randint(CONTRACTS_PER_CLIENT - 2, CONTRACTS_PER_CLIENT + 2) * factor):
                spec = specs[j % len(specs)]
                terms = _terms(spec, client, batch.today, by_key, in_window=(i + j) % 4 == 1, rng=rng)
                if j >= len(specs):
                    terms["name"] = f"{terms['name']} — site {j // len(specs) + 1}"
                contract = Contract(
                    practice=practice,
                    client=client,
                    owner=client.primary_consultant or item.owner,
                    **terms,
                )
                created = batch.past(rng)
                contract_history.append({"obj": contract, "type": "+", "date": created, "user": item.owner})
                if rng.random() < 0.05:  # notice given: cancelled
                    contract.status = ContractStatus.CANCELLED
                    contract.ended_on = batch.after(rng, created).date()
                    contract_history[-1]["values"] = {"status": ContractStatus.ACTIVE, "ended_on": None}
                    contract_history.append(
                        {"obj": contract, "type": "~", "date": batch.now, "user": rng.choice(editors)}
                    )
                contract.stamp_dates()  # bulk inserts skip save()
                contracts.append(contract)
                item.extra["contracts"].append(contract)
                if j % 4 == 0:  # a relationship-log entry about every fourth contract
                    kind, summary = INTERACTIONS[(i + j) % len(INTERACTIONS)]
                    interaction = Interaction(
                        practice=practice,
                        vendor=contract.vendor,
                        client=client,
                        contract=contract,
                        date=batch.today - timedelta(days=rng.randint(3, 300)),
                        kind=kind,
                        summary=summary,
                        who=rng.choice(editors),
                    )
                    interactions.append(interaction)
                    interaction_history.append(
                        {
                            "obj": interaction,
                            "type": "+",
                            "date": batch.past(rng, 300),
                            "user": interaction.who,
                        }
                    )
    batch.insert(Vendor, vendors)
    batch.insert(Contract, contracts)
    batch.insert(Interaction, interactions)
    batch.history(Vendor, vendor_history)
    batch.history(Contract, contract_history)
    batch.history(Interaction, interaction_history)
