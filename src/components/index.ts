// Everything a page draws with, from one place: `import {Figure, LineChart, slider, tex} from
// "./components/index.js"`. Components take plain arrays and return DOM; they never hold
// tensors and never import kernels.
export {startPage, urlNotice, inputSelect, signalKind, Readout, orNotice, setControls, INPUT_OPTIONS, SERIES_INPUTS} from "./kit.js";
export {slider, logSlider, select, checkboxes, toggle, textInput, urlWarnings, formatLog, type Control, type Option} from "./controls.js";
export {Notice, type NoticeItem, type NoticeLevel} from "./notice.js";
export {Figure, PlotlyFigure, loadPlotly, type RenderOptions, type FigureOptions} from "./figure.js";
export {tex, num, matrixTex, vectorTex, complexTex} from "./tex.js";
export {MatrixTable, formatEntry, type MatrixRow, type MatrixItem} from "./matrixTable.js";
export {BackendBadge} from "./backendBadge.js";
export {WalkDiagram} from "./walkDiagram.js";
export {LineChart, type LineSeries} from "./charts/LineChart.js";
export {ComplexPlane, type ComplexPoints} from "./charts/ComplexPlane.js";
export {Heatmap} from "./charts/Heatmap.js";
export {IntervalChart, type IntervalRow} from "./charts/IntervalChart.js";
export {PhasePortrait} from "./charts/PhasePortrait.js";
export {HoldDiagram} from "./charts/HoldDiagram.js";
export {SpectrumPanel} from "./charts/SpectrumPanel.js";
export {SlidingKernel, type SlidingKernelSVG} from "./charts/SlidingKernel.js";
export {Player, type PlayerElement} from "./player.js";
export {PALETTE} from "./charts/common.js";
export {TokenStrip, tokenStripHeight, type StripToken, type StripRow} from "./charts/TokenStrip.js";
export {ScanLevels, scanLevelsHeight, type ScanRow} from "./charts/ScanLevels.js";
export {BlockDiagram, blockDiagramHeight, type DiagramBox} from "./charts/BlockDiagram.js";
// ---- page 7 (/family): the map, the cards, tables and small charts
export {FamilyMap, familyMapHeight, familyLayout, type FamilyMapNode} from "./charts/FamilyMap.js";
export {BarChart, type BarSeries} from "./charts/BarChart.js";
export {LayerStrip} from "./charts/LayerStrip.js";
export {DataTable} from "./dataTable.js";
export {ModelCardHead, selectCard} from "./modelCard.js";
// ---- page 8 (/lab): many series against L on log-log axes (plotly), tables of strings
export {LogLogPlot, logLogSpec, type LogLogSeries} from "./charts/LogLogPlot.js";
export {TextTable} from "./textTable.js";
