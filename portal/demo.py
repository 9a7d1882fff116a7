"""Demo data of the portal: the second demo client's practice hides one section of its portal (its
renewals), so the per-client choice can be seen at work. Executives themselves are seeded by the
clients app (the first two clients), printed as `EXECUTIVE email password`."""

from vcio.demo import DemoWorld

from .services import portal_settings_update


def seed_portal(world: DemoWorld) -> None:
    if len(world.clients) > 1:
        portal_settings_update(client=world.clients[1], actor=world.owner, hidden_sections=["renewals"])
