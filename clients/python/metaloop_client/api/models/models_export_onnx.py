from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.job_detail import JobDetail
from ...models.onnx_export_request import OnnxExportRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project_id: int,
    model_id: int,
    *,
    body: None | OnnxExportRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/projects/{project_id}/models/{model_id}/onnx".format(
            project_id=quote(str(project_id), safe=""),
            model_id=quote(str(model_id), safe=""),
        ),
    }

    if isinstance(body, OnnxExportRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | JobDetail | None:
    if response.status_code == 202:
        response_202 = JobDetail.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | JobDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: int,
    model_id: int,
    *,
    client: AuthenticatedClient,
    body: None | OnnxExportRequest | Unset = UNSET,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | JobDetail]:
    """Export-Onnx

     Export the model (shipped or adapted here) to ONNX with the project's classes, on a
    worker: answers the `export_onnx` job, whose progress the job events report. When this
    model already has an export job with the same classes and working scale that is queued,
    running or succeeded, that job is answered and nothing is queued again. Once it has
    succeeded, `GET .../onnx` downloads the file; its `result` holds `onnx_sha256`, `size` and
    the `onnx` card section (input, normalisation, outputs, pre- and post-processing:
    docs/engine.md, "Export to ONNX"). 422 when the project has no classes; 429 when you have
    MAX_ACTIVE_JOBS_PER_USER jobs queued or running.

    Args:
        project_id (int):
        model_id (int):
        body (None | OnnxExportRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | JobDetail]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        model_id=model_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    model_id: int,
    *,
    client: AuthenticatedClient,
    body: None | OnnxExportRequest | Unset = UNSET,
) -> ErrorBody | ErrorBody | HTTPValidationError | JobDetail | None:
    """Export-Onnx

     Export the model (shipped or adapted here) to ONNX with the project's classes, on a
    worker: answers the `export_onnx` job, whose progress the job events report. When this
    model already has an export job with the same classes and working scale that is queued,
    running or succeeded, that job is answered and nothing is queued again. Once it has
    succeeded, `GET .../onnx` downloads the file; its `result` holds `onnx_sha256`, `size` and
    the `onnx` card section (input, normalisation, outputs, pre- and post-processing:
    docs/engine.md, "Export to ONNX"). 422 when the project has no classes; 429 when you have
    MAX_ACTIVE_JOBS_PER_USER jobs queued or running.

    Args:
        project_id (int):
        model_id (int):
        body (None | OnnxExportRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | JobDetail
    """

    return sync_detailed(
        project_id=project_id,
        model_id=model_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    model_id: int,
    *,
    client: AuthenticatedClient,
    body: None | OnnxExportRequest | Unset = UNSET,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | JobDetail]:
    """Export-Onnx

     Export the model (shipped or adapted here) to ONNX with the project's classes, on a
    worker: answers the `export_onnx` job, whose progress the job events report. When this
    model already has an export job with the same classes and working scale that is queued,
    running or succeeded, that job is answered and nothing is queued again. Once it has
    succeeded, `GET .../onnx` downloads the file; its `result` holds `onnx_sha256`, `size` and
    the `onnx` card section (input, normalisation, outputs, pre- and post-processing:
    docs/engine.md, "Export to ONNX"). 422 when the project has no classes; 429 when you have
    MAX_ACTIVE_JOBS_PER_USER jobs queued or running.

    Args:
        project_id (int):
        model_id (int):
        body (None | OnnxExportRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | JobDetail]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        model_id=model_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    model_id: int,
    *,
    client: AuthenticatedClient,
    body: None | OnnxExportRequest | Unset = UNSET,
) -> ErrorBody | ErrorBody | HTTPValidationError | JobDetail | None:
    """Export-Onnx

     Export the model (shipped or adapted here) to ONNX with the project's classes, on a
    worker: answers the `export_onnx` job, whose progress the job events report. When this
    model already has an export job with the same classes and working scale that is queued,
    running or succeeded, that job is answered and nothing is queued again. Once it has
    succeeded, `GET .../onnx` downloads the file; its `result` holds `onnx_sha256`, `size` and
    the `onnx` card section (input, normalisation, outputs, pre- and post-processing:
    docs/engine.md, "Export to ONNX"). 422 when the project has no classes; 429 when you have
    MAX_ACTIVE_JOBS_PER_USER jobs queued or running.

    Args:
        project_id (int):
        model_id (int):
        body (None | OnnxExportRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | JobDetail
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            model_id=model_id,
            client=client,
            body=body,
        )
    ).parsed
