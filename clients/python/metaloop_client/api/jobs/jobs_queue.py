from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.job_queue_out import JobQueueOut
from ...types import Response


def _get_kwargs(
    project_id: int,
    job_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/projects/{project_id}/jobs/{job_id}/queue".format(
            project_id=quote(str(project_id), safe=""),
            job_id=quote(str(job_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | JobQueueOut | None:
    if response.status_code == 200:
        response_200 = JobQueueOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

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
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | JobQueueOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: int,
    job_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | JobQueueOut]:
    """Queue

     Why a queued job waits: its position in its lane's queue (interactive work goes before
    batch work), the online and free workers, and an estimated start from recent task run
    times (the rule is in `rule`). Not queued: `queued` is false and the rest is empty.

    Args:
        project_id (int):
        job_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | JobQueueOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        job_id=job_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    job_id: int,
    *,
    client: AuthenticatedClient,
) -> ErrorBody | ErrorBody | HTTPValidationError | JobQueueOut | None:
    """Queue

     Why a queued job waits: its position in its lane's queue (interactive work goes before
    batch work), the online and free workers, and an estimated start from recent task run
    times (the rule is in `rule`). Not queued: `queued` is false and the rest is empty.

    Args:
        project_id (int):
        job_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | JobQueueOut
    """

    return sync_detailed(
        project_id=project_id,
        job_id=job_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    job_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | JobQueueOut]:
    """Queue

     Why a queued job waits: its position in its lane's queue (interactive work goes before
    batch work), the online and free workers, and an estimated start from recent task run
    times (the rule is in `rule`). Not queued: `queued` is false and the rest is empty.

    Args:
        project_id (int):
        job_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | JobQueueOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        job_id=job_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    job_id: int,
    *,
    client: AuthenticatedClient,
) -> ErrorBody | ErrorBody | HTTPValidationError | JobQueueOut | None:
    """Queue

     Why a queued job waits: its position in its lane's queue (interactive work goes before
    batch work), the online and free workers, and an estimated start from recent task run
    times (the rule is in `rule`). Not queued: `queued` is false and the rest is empty.

    Args:
        project_id (int):
        job_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | JobQueueOut
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            job_id=job_id,
            client=client,
        )
    ).parsed
