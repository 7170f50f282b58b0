"""Pages of networks: memberships (views.memberships), their roles, working groups and fees
(views.parts), and the members explorer (views.members). Permissions first, changes through
services, as in every app."""
