from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.metrics_out import MetricsOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project_id: int,
    *,
    model_id: int | None | Unset = UNSET,
    job_id: int | None | Unset = UNSET,
    checkpoints: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_model_id: int | None | Unset
    if isinstance(model_id, Unset):
        json_model_id = UNSET
    else:
        json_model_id = model_id
    params["model_id"] = json_model_id

    json_job_id: int | None | Unset
    if isinstance(job_id, Unset):
        json_job_id = UNSET
    else:
        json_job_id = job_id
    params["job_id"] = json_job_id

    params["checkpoints"] = checkpoints

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/projects/{project_id}/metrics".format(
            project_id=quote(str(project_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | MetricsOut | None:
    if response.status_code == 200:
        response_200 = MetricsOut.from_dict(response.json())

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
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | MetricsOut]:
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
    model_id: int | None | Unset = UNSET,
    job_id: int | None | Unset = UNSET,
    checkpoints: bool | Unset = False,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | MetricsOut]:
    """List

     COCO numbers (overall: class_id null; per class) and PR curves, by model or job.
    `checkpoints=true` adds the adapt checkpoint metrics (rows with a step).

    Args:
        project_id (int):
        model_id (int | None | Unset):
        job_id (int | None | Unset):
        checkpoints (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | MetricsOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        model_id=model_id,
        job_id=job_id,
        checkpoints=checkpoints,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    *,
    client: AuthenticatedClient,
    model_id: int | None | Unset = UNSET,
    job_id: int | None | Unset = UNSET,
    checkpoints: bool | Unset = False,
) -> ErrorBody | ErrorBody | HTTPValidationError | MetricsOut | None:
    """List

     COCO numbers (overall: class_id null; per class) and PR curves, by model or job.
    `checkpoints=true` adds the adapt checkpoint metrics (rows with a step).

    Args:
        project_id (int):
        model_id (int | None | Unset):
        job_id (int | None | Unset):
        checkpoints (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | MetricsOut
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        model_id=model_id,
        job_id=job_id,
        checkpoints=checkpoints,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    *,
    client: AuthenticatedClient,
    model_id: int | None | Unset = UNSET,
    job_id: int | None | Unset = UNSET,
    checkpoints: bool | Unset = False,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | MetricsOut]:
    """List

     COCO numbers (overall: class_id null; per class) and PR curves, by model or job.
    `checkpoints=true` adds the adapt checkpoint metrics (rows with a step).

    Args:
        project_id (int):
        model_id (int | None | Unset):
        job_id (int | None | Unset):
        checkpoints (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | MetricsOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        model_id=model_id,
        job_id=job_id,
        checkpoints=checkpoints,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    *,
    client: AuthenticatedClient,
    model_id: int | None | Unset = UNSET,
    job_id: int | None | Unset = UNSET,
    checkpoints: bool | Unset = False,
) -> ErrorBody | ErrorBody | HTTPValidationError | MetricsOut | None:
    """List

     COCO numbers (overall: class_id null; per class) and PR curves, by model or job.
    `checkpoints=true` adds the adapt checkpoint metrics (rows with a step).

    Args:
        project_id (int):
        model_id (int | None | Unset):
        job_id (int | None | Unset):
        checkpoints (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | MetricsOut
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            model_id=model_id,
            job_id=job_id,
            checkpoints=checkpoints,
        )
    ).parsed
