from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.adapt_spec import AdaptSpec
from ...models.detect_spec import DetectSpec
from ...models.error_body import ErrorBody
from ...models.evaluate_spec import EvaluateSpec
from ...models.export_onnx_spec import ExportOnnxSpec
from ...models.generate_spec import GenerateSpec
from ...models.http_validation_error import HTTPValidationError
from ...models.task_start import TaskStart
from ...types import Response


def _get_kwargs(
    task_id: int,
    *,
    body: TaskStart,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/worker/tasks/{task_id}/start".format(
            task_id=quote(str(task_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    AdaptSpec
    | DetectSpec
    | EvaluateSpec
    | ExportOnnxSpec
    | GenerateSpec
    | ErrorBody
    | ErrorBody
    | HTTPValidationError
    | None
):
    if response.status_code == 200:

        def _parse_response_200(data: object) -> AdaptSpec | DetectSpec | EvaluateSpec | ExportOnnxSpec | GenerateSpec:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = AdaptSpec.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_1 = DetectSpec.from_dict(data)

                return response_200_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_2 = EvaluateSpec.from_dict(data)

                return response_200_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_3 = GenerateSpec.from_dict(data)

                return response_200_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_4 = ExportOnnxSpec.from_dict(data)

            return response_200_type_4

        response_200 = _parse_response_200(response.json())

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
) -> Response[
    AdaptSpec | DetectSpec | EvaluateSpec | ExportOnnxSpec | GenerateSpec | ErrorBody | ErrorBody | HTTPValidationError
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    task_id: int,
    *,
    client: AuthenticatedClient,
    body: TaskStart,
) -> Response[
    AdaptSpec | DetectSpec | EvaluateSpec | ExportOnnxSpec | GenerateSpec | ErrorBody | ErrorBody | HTTPValidationError
]:
    """Start-Task

     Open a new attempt and answer the TaskSpec; 409 means: ack the message and drop it.

    Args:
        task_id (int):
        body (TaskStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdaptSpec | DetectSpec | EvaluateSpec | ExportOnnxSpec | GenerateSpec | ErrorBody | ErrorBody | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    task_id: int,
    *,
    client: AuthenticatedClient,
    body: TaskStart,
) -> (
    AdaptSpec
    | DetectSpec
    | EvaluateSpec
    | ExportOnnxSpec
    | GenerateSpec
    | ErrorBody
    | ErrorBody
    | HTTPValidationError
    | None
):
    """Start-Task

     Open a new attempt and answer the TaskSpec; 409 means: ack the message and drop it.

    Args:
        task_id (int):
        body (TaskStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdaptSpec | DetectSpec | EvaluateSpec | ExportOnnxSpec | GenerateSpec | ErrorBody | ErrorBody | HTTPValidationError
    """

    return sync_detailed(
        task_id=task_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    task_id: int,
    *,
    client: AuthenticatedClient,
    body: TaskStart,
) -> Response[
    AdaptSpec | DetectSpec | EvaluateSpec | ExportOnnxSpec | GenerateSpec | ErrorBody | ErrorBody | HTTPValidationError
]:
    """Start-Task

     Open a new attempt and answer the TaskSpec; 409 means: ack the message and drop it.

    Args:
        task_id (int):
        body (TaskStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdaptSpec | DetectSpec | EvaluateSpec | ExportOnnxSpec | GenerateSpec | ErrorBody | ErrorBody | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    task_id: int,
    *,
    client: AuthenticatedClient,
    body: TaskStart,
) -> (
    AdaptSpec
    | DetectSpec
    | EvaluateSpec
    | ExportOnnxSpec
    | GenerateSpec
    | ErrorBody
    | ErrorBody
    | HTTPValidationError
    | None
):
    """Start-Task

     Open a new attempt and answer the TaskSpec; 409 means: ack the message and drop it.

    Args:
        task_id (int):
        body (TaskStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdaptSpec | DetectSpec | EvaluateSpec | ExportOnnxSpec | GenerateSpec | ErrorBody | ErrorBody | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            task_id=task_id,
            client=client,
            body=body,
        )
    ).parsed
