from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.review_apply import ReviewApply
from ...models.review_apply_result import ReviewApplyResult
from ...types import Response


def _get_kwargs(
    project_id: int,
    *,
    body: ReviewApply,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/projects/{project_id}/review/apply".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | ReviewApplyResult | None:
    if response.status_code == 200:
        response_200 = ReviewApplyResult.from_dict(response.json())

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
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | ReviewApplyResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: int,
    *,
    client: AuthenticatedClient,
    body: ReviewApply,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | ReviewApplyResult]:
    """Apply

     One review action: accept predictions (into annotations, as `predictions/accept` by ids,
    but leaving out and counting those on holdout images), reject others, and mark images
    complete. The answer's `undo` is the record that reverts it (POST `review/undo`).

    Args:
        project_id (int):
        body (ReviewApply): One review action over many predictions and images (e.g. accept the
            top class of every
            object scoring at least the threshold and reject its runners-up).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | ReviewApplyResult]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    *,
    client: AuthenticatedClient,
    body: ReviewApply,
) -> ErrorBody | ErrorBody | HTTPValidationError | ReviewApplyResult | None:
    """Apply

     One review action: accept predictions (into annotations, as `predictions/accept` by ids,
    but leaving out and counting those on holdout images), reject others, and mark images
    complete. The answer's `undo` is the record that reverts it (POST `review/undo`).

    Args:
        project_id (int):
        body (ReviewApply): One review action over many predictions and images (e.g. accept the
            top class of every
            object scoring at least the threshold and reject its runners-up).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | ReviewApplyResult
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    *,
    client: AuthenticatedClient,
    body: ReviewApply,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | ReviewApplyResult]:
    """Apply

     One review action: accept predictions (into annotations, as `predictions/accept` by ids,
    but leaving out and counting those on holdout images), reject others, and mark images
    complete. The answer's `undo` is the record that reverts it (POST `review/undo`).

    Args:
        project_id (int):
        body (ReviewApply): One review action over many predictions and images (e.g. accept the
            top class of every
            object scoring at least the threshold and reject its runners-up).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | ReviewApplyResult]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    *,
    client: AuthenticatedClient,
    body: ReviewApply,
) -> ErrorBody | ErrorBody | HTTPValidationError | ReviewApplyResult | None:
    """Apply

     One review action: accept predictions (into annotations, as `predictions/accept` by ids,
    but leaving out and counting those on holdout images), reject others, and mark images
    complete. The answer's `undo` is the record that reverts it (POST `review/undo`).

    Args:
        project_id (int):
        body (ReviewApply): One review action over many predictions and images (e.g. accept the
            top class of every
            object scoring at least the threshold and reject its runners-up).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | ReviewApplyResult
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed
