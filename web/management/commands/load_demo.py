from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from certificates.demo import demo_certificates_load
from evaluation.demo import demo_round_load
from inquiries.demo import load_inquiries_demo
from registry.demo import demo_load, demo_scale_generate
from traceability.demo import demo_trace_load
from trade.demo import load_trade_demo


class Command(BaseCommand):
    # In the web app: the demo spans every app (registry, evaluation, …), and only the top layer may
    # depend on all of them.
    help = (
        "Load demonstration data: the producers and products of the seed articles (Lào Cai, Lạng Sơn) and "
        "demo logins for every role. Idempotent. --scale N also makes sure N generated products exist."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also generate products up to N in total (about one entity per 1.7), over all 34 provinces.",
        )

    def handle(self, *args, scale: int, **options):
        # The demo creates a superuser whose password sits in a file: never on a production database.
        if not (settings.DEBUG or getattr(settings, "DEV_MODE", False)):
            raise CommandError("load_demo only runs on a development machine (set OCOP_DEV=1 or DEBUG=1).")
        if scale < 0:
            raise CommandError("--scale must be zero or more.")
        try:
            result = demo_load()
            certificates = demo_certificates_load()
            evaluation_round = demo_round_load()
            scan_uri = demo_trace_load()
            trade_created = load_trade_demo()
            buyer_login = load_inquiries_demo()
            scaled = demo_scale_generate(count=scale) if scale else None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc

        result.logins.append(buyer_login)
        created = ", ".join(f"{n} {what}" for what, n in sorted(result.created.items())) or "nothing new"
        self.stdout.write(f"Demo data: {created}.")
        if certificates:
            self.stdout.write(f"Certificates imported for the certified demo products: {certificates}.")
        self.stdout.write(
            "Market connection: " + ", ".join(f"{n} {k}" for k, n in trade_created.items()) + "."
        )
        if evaluation_round is not None:
            self.stdout.write(
                f"Open evaluation round: {evaluation_round} ({evaluation_round.dossiers.count()} dossiers)."
            )
        if scan_uri:
            self.stdout.write(f"Scan a demo label (GS1 Digital Link of a demo lot): {scan_uri}")
        if scaled is not None:
            if scaled.products:
                self.stdout.write(
                    f"Generated {scaled.products} products of {scaled.entities} entities "
                    f"({scaled.existing + scaled.products} generated products in all)."
                )
            else:
                self.stdout.write(f"{scaled.existing} generated products already exist; nothing added.")

        width = max(len(login.username) for login in result.logins)
        role_width = max(len(login.role) for login in result.logins)
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING("Demo logins: for development only, never on a server others can reach.")
        )
        self.stdout.write(f"{'username'.ljust(width)}  {'role'.ljust(role_width)}  password")
        for login in result.logins:
            self.stdout.write(
                f"{login.username.ljust(width)}  {login.role.ljust(role_width)}  {login.password}"
            )
        self.stdout.write(f"(kept in {result.logins_path}; delete that file and run again for new passwords)")
