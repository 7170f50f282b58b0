from django.urls import path

from .views import actions, calendar, meetings, visits

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("nuovo/", meetings.meeting_create, name="create"),
    path("<int:pk>/", meetings.meeting_detail, name="detail"),
    path("<int:pk>/modifica/", meetings.meeting_edit, name="edit"),
    path("<int:pk>/storia/", meetings.meeting_history, name="history"),
    path("<int:pk>/stato/", meetings.meeting_status, name="status"),
    path("<int:pk>/partecipanti/", meetings.participant_add, name="participant_add"),
    path(
        "<int:pk>/partecipanti/<int:participant_pk>/rimuovi/",
        meetings.participant_remove,
        name="participant_remove",
    ),
    path("<int:pk>/azioni/", actions.action_add, name="action_add"),
    path("<int:pk>/doni/", actions.gift_add, name="gift_add"),
    path("azioni/", actions.my_actions, name="my_actions"),
    path("azioni/nuova/", actions.action_create, name="action_create"),
    path("azioni/<int:action_pk>/", actions.action_edit, name="action_edit"),
    path("azioni/<int:action_pk>/fatta/", actions.action_done, name="action_done"),
    path("doni/", actions.gift_list, name="gifts"),
    path("richieste/", visits.visit_list, name="visits"),
    path("richieste/nuova/", visits.visit_create, name="visit_create"),
    path("richieste/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("richieste/<int:pk>/valutazione/", visits.visit_screening, name="visit_screening"),
    path("richieste/<int:pk>/decisione/", visits.visit_decide, name="visit_decide"),
    path("criteri/", visits.criteria, name="criteria"),
    path("calendario/", calendar.agenda, name="calendar"),
    path("calendario/feed/nuovo/", calendar.feed_issue, name="feed_issue"),
    path("calendario/feed/revoca/", calendar.feed_revoke, name="feed_revoke"),
    path("calendario/<str:token>.ics", calendar.feed, name="feed"),
]
