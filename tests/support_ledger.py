"""Helpers for ledger tests: a small seed ledger and a way to compare whole databases."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, MetaData, select

from coalition.domain.access import Principal
from coalition.services import ledger
from coalition.storage.unit_of_work import UnitOfWork

SEED = {
    "donors": "code,name,kind,parent_code\nDEU,Germany,nation,\nPOL,Poland,nation,\n"
    "EU,European Union,organisation,\nEPF,European Peace Facility,organisation,EU\n",
    "recipients": "code,name,kind,location,latitude,longitude\n"
    "UA-DEP-W1,Western depot 1,depot,Lviv oblast,49.8,24.0\n",
    "families": "code,name,capability_area\nSPH-155,155mm self-propelled howitzer,artillery\n"
    "AMMO-155,155mm artillery ammunition,ammunition\n",
    "item-types": "code,name,family_code,supply_class,unit_of_issue,nsn,mass_kg,volume_m3,"
    "reference_value_eur,platform_code\n"
    "PZH2000,PzH 2000,SPH-155,II,EA,1025-12-345-6789,55300,,7800000,PZH2000\n"
    "KRAB,AHS Krab,SPH-155,II,EA,,,,,KRAB\n"
    "HE155,155mm HE shell,AMMO-155,V,RD,,,,3300,\n",
    "requirements": "ref,capability_area,family_code,quantity,priority,needed_by,destination_code,"
    "status\nREQ-1,artillery,SPH-155,12,1,2027-01-01,UA-DEP-W1,approved\n",
}

# Enough for a burden-sharing report: two allies' memberships and GDP, and a 2025 baseline.
BURDEN_SEED = {
    "memberships": "donor_code,organisation,joined,left\n"
    "DEU,NATO,1955-05-06,\nPOL,NATO,1999-03-12,\n",
    "gdp": "donor_code,year,amount,currency,unit,source\n"
    "DEU,2024,4000,USD,billion,test\nPOL,2024,1000,USD,billion,test\n",
    "baselines": "year,amount,currency,participants_group,excluded,gdp_measure,gdp_year,"
    "counted_categories,membership_date,source\n"
    "2025,1000000.00,EUR,NATO,,test GDP,2024,procurement;equipment,2025-12-31,test rule\n",
}

# One of each training registry, and a fleet-status report (after the SEED and BURDEN_SEED).
TRAINING_SEED = {
    "courses": "code,name,skill,duration_weeks,provider_code,mission,platform_code,per_platform\n"
    "CRS-PZH2000-CREW,PzH 2000 crew,crew,6,DEU,EUMAM,PZH2000,5\n",
    "sites": "code,name,country,provider_code\nDEU-SITE-IDAR,Idar-Oberstein,DEU,DEU\n",
    "intakes": "code,course_code,site_code,start_date,seats\n"
    "PZH2000-CREW-01,CRS-PZH2000-CREW,DEU-SITE-IDAR,2026-01-12,20\n",
    "cohorts": "code,unit_code,language_group,size,platform_code\n"
    "UA-DEP-W1-C01,UA-DEP-W1,uk,20,PZH2000\n",
    "training-records": "intake_code,cohort_code,enrolled,graduated,failed\n"
    "PZH2000-CREW-01,UA-DEP-W1-C01,20,19,1\n",
    "fleet-status": "item_type_code,recipient_code,as_of,operational,in_maintenance,"
    "awaiting_parts,lost\nPZH2000,UA-DEP-W1,2026-05-01,3,1,0,0\n",
}

OFFERS_HEADER = (
    "donor_code,external_id,item_type_code,quantity,available_from,origin,condition,"
    "declared_value,currency,only_for_areas,status,delivered_on\n"
)


def import_text(engine: Engine, tmp_path: Path, kind: str, text: str, name: str | None = None,
                actor: str = "tester"):  # fmt: skip
    path = tmp_path / (name or f"{kind}.csv")
    path.write_text(text, encoding="utf-8")
    with UnitOfWork(engine, Principal(actor)) as uow:
        return ledger.import_file(uow, kind, path)


def database_content(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal before and after means nothing changed."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as connection:
        return {
            name: sorted(map(tuple, connection.execute(select(table))), key=repr)
            for name, table in sorted(meta.tables.items())
        }


TEST_PASSWORD = "test password 12345"


def add_admin(engine: Engine, name: str = "tester") -> str:
    """The first account of a test ledger (an admin), so the CLI has someone to act as.

    Set `COALITION_USER` to the returned name (or pass `--as`) for CLI runs.
    """
    from coalition.services import accounts

    with UnitOfWork(engine, Principal("bootstrap")) as uow:
        accounts.add_user(uow, name, "admin", None, TEST_PASSWORD)
    return name


# A training plan worked by hand (after SEED), day zero Monday 4 January 2027 (week 0):
# artillery basics (3 weeks) before either crew course (6 weeks, 5 per platform).
#   PzH 2000: basics week 0-3, crew week 3-9 → ready 8 March; 2 platforms available 15 Feb
#             + 7 days from Germany = ETA 22 February: 14 days late (weeks 9 vs 7).
#   Krab:     basics week 4-7 (week 0's seats go to the PzH cohort, which has no other way),
#             crew week 8-14 → ready 12 April; ETA 1 May + 3 days from Poland = 4 May: on time.
TRAINING_PLAN_DAY_ZERO = "2027-01-04"
TRAINING_PLAN_SEED = {
    "courses": "code,name,skill,duration_weeks,provider_code,mission,platform_code,per_platform,"
    "prerequisites\n"
    "CRS-ART-BASIC,Artillery basics,other,3,POL,EUMAM,,0,\n"
    "CRS-PZH2000-CREW,PzH 2000 crew,crew,6,DEU,EUMAM,PZH2000,5,CRS-ART-BASIC\n"
    "CRS-KRAB-CREW,Krab crew,crew,6,POL,EUMAM,KRAB,5,CRS-ART-BASIC\n",
    "sites": "code,name,country,provider_code\nDEU-SITE-IDAR,Idar-Oberstein,DEU,DEU\n",
    "intakes": "code,course_code,site_code,start_date,seats\n"
    "ART-1,CRS-ART-BASIC,DEU-SITE-IDAR,2027-01-04,10\n"
    "ART-2,CRS-ART-BASIC,DEU-SITE-IDAR,2027-02-01,10\n"
    "PZH-1,CRS-PZH2000-CREW,DEU-SITE-IDAR,2027-01-25,10\n"
    "KRAB-1,CRS-KRAB-CREW,DEU-SITE-IDAR,2027-03-01,10\n",
    "cohorts": "code,unit_code,language_group,size,platform_code\n"
    "C-PZH,UA-DEP-W1,uk,10,PZH2000\nC-KRAB,UA-DEP-W1,uk,10,KRAB\n",
    "offers": OFFERS_HEADER + "DEU,DEU-OF-1,PZH2000,2,2027-02-15,DEU,new,,EUR,,accepted,\n"
    "POL,POL-OF-1,KRAB,2,2027-05-01,POL,new,,EUR,,accepted,\n",
}
