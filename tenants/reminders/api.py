"""The bell's API: this person's notifications in this organisation, and marking them read."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.kernel.api import PagedList
from tenants.reminders import selectors, services
from tenants.reminders.models import Notification
from xuncha.permissions import IsOrganizationMember


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.BooleanField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "due_date", "created_at", "read"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False)


class NotificationsApi(PagedList, APIView):
    """This person's notifications here (newest first); POST marks them read."""

    permission_classes = [IsOrganizationMember]

    @extend_schema(responses=NotificationSerializer(many=True))
    def get(self, request):
        def serialize(page):
            read = selectors.notifications_read_among(actor=request.user, notifications=page)
            for item in page:
                item.read = item.pk in read
            return NotificationSerializer(page, many=True).data

        return self.list_response(selectors.notifications_for(access=request.org_access, actor=request.user), serialize)

    @extend_schema(request=MarkReadSerializer, responses={200: MarkReadSerializer})
    def post(self, request):
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(
            access=request.org_access, actor=request.user, notification_ids=data.validated_data.get("ids")
        )
        return Response({"marked": marked})
