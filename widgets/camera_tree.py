"""The camera tree: townships → grids → cameras, to drag cameras onto video tiles, with a name filter.

`CameraTree.set_cameras` takes plain rows ({id, name, township_id, grid_id}) and the township and grid names; each
group shows its camera count. Dragging a camera carries `camera_mime_data`; double-click or Enter on a camera emits
`camera_activated(id)`. `CameraPicker` puts a filter box (name substring, case-insensitive) above the tree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from widgets.camera_mime import CAMERA_MIME, camera_mime_data

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""On a camera row: its id; on a township or grid row: None."""
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
"""The bare name (without the count), what the filter matches."""

Index = QModelIndex | QPersistentModelIndex


class CameraModel(QStandardItemModel):
    """Rows of the tree; only camera rows drag, and they carry the camera MIME."""

    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        for index in indexes:
            camera_id = index.data(CAMERA_ID_ROLE)
            if camera_id is not None:
                return camera_mime_data(int(camera_id), str(index.data(NAME_ROLE)))
        return QMimeData()


class CameraFilter(QSortFilterProxyModel):
    """Keeps cameras whose name contains the text, and the groups above them (recursive filtering)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterRole(NAME_ROLE)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if index.data(CAMERA_ID_ROLE) is None:
            return not self.filterRegularExpression().pattern()  # a group shows when a camera under it does
        return super().filterAcceptsRow(source_row, source_parent)


class CameraTree(QTreeView):
    camera_activated = Signal(int)
    """Double-click or Enter on a camera."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = CameraModel(self)
        self._proxy = CameraFilter(self)
        self._proxy.setSourceModel(self._model)
        self.setModel(self._proxy)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.doubleClicked.connect(self._activate)

    def set_cameras(self, cameras: list[dict], township_names: dict[int, str], grid_names: dict[int, str]) -> None:
        """Rebuilds the tree: townships (by id), their grids (by id), their cameras (by name)."""
        tree: dict[int | None, dict[int | None, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for camera in cameras:
            tree[camera.get("township_id")][camera.get("grid_id")].append(camera)
        self._model.clear()
        root = self._model.invisibleRootItem()
        for township_id in sorted(tree, key=lambda t: (t is None, t or 0)):
            grids = tree[township_id]
            name = township_names.get(township_id, "") if township_id is not None else ""
            township = self._group(name or self.tr("未分组"), sum(len(c) for c in grids.values()))
            root.appendRow(township)
            for grid_id in sorted(grids, key=lambda g: (g is None, g or 0)):
                grid_name = grid_names.get(grid_id, "") if grid_id is not None else ""
                grid = self._group(grid_name or self.tr("未分组"), len(grids[grid_id]))
                township.appendRow(grid)
                for camera in sorted(grids[grid_id], key=lambda c: (str(c["name"]), int(c["id"]))):
                    grid.appendRow(self._camera_item(int(camera["id"]), str(camera["name"])))
        if self._proxy.filterRegularExpression().pattern():
            self.expandAll()

    @staticmethod
    def _group(name: str, count: int) -> QStandardItem:
        item = QStandardItem(f"{name} ({count})")
        item.setData(name, NAME_ROLE)
        item.setData(None, CAMERA_ID_ROLE)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        return item

    @staticmethod
    def _camera_item(camera_id: int, name: str) -> QStandardItem:
        item = QStandardItem(name)
        item.setData(name, NAME_ROLE)
        item.setData(camera_id, CAMERA_ID_ROLE)
        item.setToolTip(name)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        return item

    def set_filter(self, text: str) -> None:
        """Shows only cameras whose name contains the text (and their groups, expanded); "" shows all."""
        self._proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.expandAll()

    def camera_count(self) -> int:
        """Cameras shown under the current filter."""
        return len(self.shown_cameras())

    def shown_cameras(self) -> list[int]:
        """Ids of the cameras shown under the current filter, in tree order."""
        found: list[int] = []
        self._collect(QModelIndex(), found)
        return found

    def _collect(self, parent: QModelIndex, found: list[int]) -> None:
        for row in range(self._proxy.rowCount(parent)):
            index = self._proxy.index(row, 0, parent)
            camera_id = index.data(CAMERA_ID_ROLE)
            if camera_id is not None:
                found.append(int(camera_id))
            self._collect(index, found)

    def index_of_camera(self, camera_id: int) -> QModelIndex:
        """The (view) index of a shown camera, or an invalid index."""
        matches = self._proxy.match(self._proxy.index(0, 0), CAMERA_ID_ROLE, camera_id, 1,
                                    Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return matches[0] if matches else QModelIndex()

    def _activate(self, index: QModelIndex) -> None:
        camera_id = index.data(CAMERA_ID_ROLE)
        if camera_id is not None:
            self.camera_activated.emit(int(camera_id))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activate(self.currentIndex())
            return
        super().keyPressEvent(event)


class CameraPicker(QWidget):
    """A filter box above a `CameraTree`; `camera_activated` passes through."""

    camera_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText(self.tr("搜索摄像头"))
        self.filter_box.setClearButtonEnabled(True)
        self.tree = CameraTree(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.tree, 1)
        self.filter_box.textChanged.connect(self.tree.set_filter)
        self.tree.camera_activated.connect(self.camera_activated)

    def set_cameras(self, cameras: list[dict], township_names: dict[int, str], grid_names: dict[int, str]) -> None:
        self.tree.set_cameras(cameras, township_names, grid_names)
