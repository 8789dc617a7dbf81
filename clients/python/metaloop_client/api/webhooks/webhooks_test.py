from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.webhook_delivery_out import WebhookDeliveryOut
from ...types import Response


def _get_kwargs(
    project_id: int,
    hook_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/projects/{project_id}/webhooks/{hook_id}/test".format(
            project_id=quote(str(project_id), safe=""),
            hook_id=quote(str(hook_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | WebhookDeliveryOut | None:
    if response.status_code == 202:
        response_202 = WebhookDeliveryOut.from_dict(response.json())

        return response_202

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 422:

        def _parse_response_422(data: object) -> ErrorBody | HTTPValidationError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_422_type_0 = ErrorBody.from_dict(data)

                return response_422_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_422_type_1 = HTTPValidationError.from_dict(data)

            return response_422_type_1

        response_422 = _parse_response_422(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | WebhookDeliveryOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: int,
    hook_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | WebhookDeliveryOut]:
    """Test

     Queue a `webhook.test` delivery to this webhook, whatever events it subscribes to: signed,
    sent and retried like any event (watch it in `GET .../deliveries`). Payload: `{"event":
    "webhook.test", "project_id", "data": {"webhook_id", "url", "requested_by"},
    "delivered_at"}`. 202 with the queued delivery (state `pending`); 409 if the webhook is
    inactive.

    Args:
        project_id (int):
        hook_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | WebhookDeliveryOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        hook_id=hook_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    hook_id: int,
    *,
    client: AuthenticatedClient,
) -> ErrorBody | ErrorBody | HTTPValidationError | WebhookDeliveryOut | None:
    """Test

     Queue a `webhook.test` delivery to this webhook, whatever events it subscribes to: signed,
    sent and retried like any event (watch it in `GET .../deliveries`). Payload: `{"event":
    "webhook.test", "project_id", "data": {"webhook_id", "url", "requested_by"},
    "delivered_at"}`. 202 with the queued delivery (state `pending`); 409 if the webhook is
    inactive.

    Args:
        project_id (int):
        hook_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | WebhookDeliveryOut
    """

    return sync_detailed(
        project_id=project_id,
        hook_id=hook_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    hook_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | WebhookDeliveryOut]:
    """Test

     Queue a `webhook.test` delivery to this webhook, whatever events it subscribes to: signed,
    sent and retried like any event (watch it in `GET .../deliveries`). Payload: `{"event":
    "webhook.test", "project_id", "data": {"webhook_id", "url", "requested_by"},
    "delivered_at"}`. 202 with the queued delivery (state `pending`); 409 if the webhook is
    inactive.

    Args:
        project_id (int):
        hook_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | WebhookDeliveryOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        hook_id=hook_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    hook_id: int,
    *,
    client: AuthenticatedClient,
) -> ErrorBody | ErrorBody | HTTPValidationError | WebhookDeliveryOut | None:
    """Test

     Queue a `webhook.test` delivery to this webhook, whatever events it subscribes to: signed,
    sent and retried like any event (watch it in `GET .../deliveries`). Payload: `{"event":
    "webhook.test", "project_id", "data": {"webhook_id", "url", "requested_by"},
    "delivered_at"}`. 202 with the queued delivery (state `pending`); 409 if the webhook is
    inactive.

    Args:
        project_id (int):
        hook_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | WebhookDeliveryOut
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            hook_id=hook_id,
            client=client,
        )
    ).parsed
