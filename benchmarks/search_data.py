"""Synthetic customers and a throw-away PostgreSQL database for benchmarks/search.py."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
from alembic.config import Config
from sqlalchemy import make_url, text

from alembic import command
from khs_crm.cli import ROOT
from khs_crm.db import make_engine


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William "
    "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa "
    "Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly "
    "Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy "
    "George Melissa Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey "
    "Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley Jonathan Anna "
    "Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon Helen Benjamin Samantha "
    "Samuel Katherine Gregory Christine Alexander Debra Frank Rachel Patrick Carolyn "
    "Raymond Janet Jack Catherine José María Juan Guadalupe Luis Rosa Carlos Ana Jorge "
    "Francisco Miguel Alejandro Sofía Diego"
)
LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright "
    "Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell "
    "Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins "
    "Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper "
    "Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez "
    "Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel "
    "Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman "
    "Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson "
    "Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant "
    "Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens "
    "Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman "
    "Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva "
    "Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd "
    "Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols "
    "Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kowalski Nowak Ostrowski Lindqvist"
)
COMPANY = ("Construction", "Homes", "Properties", "Renovations", "Builders", "Realty", "Group")
STREETS = _words(
    "Main Oak Pine Maple Cedar Elm Lamar Congress Guadalupe Burnet Airport Riverside "
    "Barton Springs Manor Cameron Koenig Anderson Parmer Slaughter William Cannon Brodie "
    "Mopac Research Duval Rundberg Braker Howard Wells Branch Pflugerville Gattis Sam Bass"
)
SUFFIXES = ("St", "Ave", "Blvd", "Rd", "Ln", "Dr", "Ct", "Way", "Trl", "Pkwy")
CITIES = (
    "Austin",
    "Round Rock",
    "Pflugerville",
    "Cedar Park",
    "Georgetown",
    "Leander",
    "Buda",
    "Kyle",
    "San Marcos",
    "Dripping Springs",
    "Lakeway",
    "Manor",
    "Hutto",
    "Bastrop",
)
AREA_CODES = ("512", "737", "210", "830", "254", "361", "979", "281", "713", "214")
PHONE_FORMATS = ("({a}) {x}-{n}", "{a}-{x}-{n}", "{a}.{x}.{n}", "+1 {a} {x} {n}")
NOTES = ("", "", "", "Gate code 4411", "Prefers texts", "Dog in the yard", "Call after 5pm")
COPY_COLUMNS = (
    "id, name, phone, phone_digits, email, address, notes, version, created_at, updated_at"
)


def _customer(rng: random.Random, n: int, now: datetime) -> tuple:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    name = f"{last} {rng.choice(COMPANY)} LLC" if rng.random() < 0.15 else f"{first} {last}"
    area, exchange, line = rng.choice(AREA_CODES), rng.randint(200, 999), rng.randint(0, 9999)
    phone = rng.choice(PHONE_FORMATS).format(a=area, x=exchange, n=f"{line:04d}")
    digits = "".join(c for c in phone if c.isdigit())
    email = f"{first}.{last}{n}@example.com".lower() if rng.random() < 0.8 else ""
    street = f"{rng.randint(1, 19999)} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}"
    address = f"{street}, {rng.choice(CITIES)}, TX 78{rng.randint(600, 799)}"
    return (uuid.uuid4(), name, phone, digits, email, address, rng.choice(NOTES), n, now, now)


def customers(rows: int, seed: int = 7) -> Iterator[tuple]:
    """``rows`` synthetic customers in COPY_COLUMNS order (deterministic for a seed)."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    for n in range(1, rows + 1):
        yield _customer(rng, n, now)


def _admin(admin_url: str):
    return make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")


def create_database(admin_url: str) -> str:
    """Create an empty database next to ``admin_url``; return its URL."""
    name = f"khs_bench_{uuid.uuid4().hex[:10]}"
    engine = _admin(admin_url)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # Index builds (migration 0003) on millions of rows want more than the 64 MB default.
        conn.execute(text(f"ALTER DATABASE \"{name}\" SET maintenance_work_mem = '256MB'"))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    """Drop a database made by create_database."""
    engine = _admin(admin_url)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def migrate(url: str, revision: str) -> None:
    """Run the project's migrations up to ``revision``."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["configure_logger"] = False
    config.attributes["url"] = url
    command.upgrade(config, revision)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def load(url: str, rows: int) -> dict[str, float]:
    """Fill a fresh database: schema without search indexes, COPY, then the index migration.

    Returns the seconds each step took.
    """
    timings = {}
    started = time.perf_counter()
    migrate(url, "0002")
    timings["schema"] = time.perf_counter() - started
    started = time.perf_counter()
    with psycopg.connect(_libpq(url)) as conn:
        with conn.cursor().copy(f"COPY customers ({COPY_COLUMNS}) FROM STDIN") as copy:
            for row in customers(rows):
                copy.write_row(row)
        conn.execute("UPDATE change_counter SET value = %s WHERE id = 1", (rows,))
    timings["copy"] = time.perf_counter() - started
    started = time.perf_counter()
    migrate(url, "head")
    timings["indexes"] = time.perf_counter() - started
    with psycopg.connect(_libpq(url)) as conn:
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE customers")
    return timings
