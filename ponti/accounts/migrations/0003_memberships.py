"""Roles become per ente: a Membership (user × ente) holds a role and a clearance.

Until now a user had global roles (Django groups) and a plain list of enti. Each (user, ente)
pair becomes a membership with the user's strongest role and that role's clearance; the role
groups are emptied (they no longer grant anything), and only superusers keep `is_staff`: the
Django admin is the operators' tool.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# Strongest first: a user who held several roles keeps the one that could do most.
ROLE_ORDER = ["amministratore", "ufficio", "consigliere", "segreteria", "responsabile", "revisore"]
CLEARANCE = {
    "amministratore": "riservato",
    "ufficio": "riservato",
    "consigliere": "riservato",
    "segreteria": "riservato",
    "responsabile": "interno",
    "revisore": "interno",
}


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("accounts", "Membership")
    Through = User.enti.through
    rows = []
    for user in User.objects.all():
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in ROLE_ORDER if r in names), None)
        if role is None:
            continue  # no role: the user could do nothing, and still can't
        for link in Through.objects.filter(user_id=user.pk):
            rows.append(
                Membership(user_id=user.pk, ente_id=link.ente_id, role=role, clearance=CLEARANCE[role])
            )
    Membership.objects.bulk_create(rows)
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLE_ORDER):
        group.user_set.clear()
        group.permissions.clear()
    User.objects.filter(is_superuser=False).update(is_staff=False)


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("accounts", "Membership")
    Group = apps.get_model("auth", "Group")
    Through = User.enti.through
    for membership in Membership.objects.all():
        Through.objects.get_or_create(user_id=membership.user_id, ente_id=membership.ente_id)
        group, _ = Group.objects.get_or_create(name=membership.role)
        group.user_set.add(membership.user_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("core", "0006_ente_gift_value_threshold"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="versione"),
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("amministratore", "Amministratore"),
                            ("ufficio", "Ufficio relazioni internazionali"),
                            ("consigliere", "Consigliere diplomatico"),
                            ("segreteria", "Segreteria del Sindaco"),
                            ("responsabile", "Responsabile"),
                            ("revisore", "Revisore (sola lettura)"),
                        ],
                        max_length=20,
                        verbose_name="ruolo",
                    ),
                ),
                (
                    "clearance",
                    models.CharField(
                        choices=[("pubblico", "Pubblico"), ("interno", "Interno"), ("riservato", "Riservato")],
                        help_text="Il livello più alto che l'utente legge fra i record di questo ente; non oltre quello previsto dal ruolo.",
                        max_length=10,
                        verbose_name="livello di riservatezza",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="creato il")),
                (
                    "ente",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="core.ente",
                        verbose_name="ente",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="utente",
                    ),
                ),
            ],
            options={
                "verbose_name": "appartenenza a un ente",
                "verbose_name_plural": "appartenenze agli enti",
                "ordering": ["ente__name", "user__username"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "ente"), name="membership_one_per_ente"),
                    models.CheckConstraint(
                        condition=models.Q(("clearance__in", ["pubblico", "interno", "riservato"])),
                        name="membership_clearance_valid",
                    ),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="user", name="enti"),
        migrations.AddField(
            model_name="user",
            name="enti",
            field=models.ManyToManyField(
                blank=True,
                help_text="L'utente vede e modifica solo le relazioni di questi enti.",
                related_name="users",
                through="accounts.Membership",
                through_fields=("user", "ente"),
                to="core.ente",
                verbose_name="enti",
            ),
        ),
    ]
