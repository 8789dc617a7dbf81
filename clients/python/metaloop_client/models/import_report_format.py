from enum import StrEnum


class ImportReportFormat(StrEnum):
    COCO = "coco"
    VOC = "voc"
    YOLO = "yolo"

    def __str__(self) -> str:
        return str(self.value)
