/**
 * The ECharts modules the app's charts use, registered once for every view (Balance, Train). ECharts
 * (through vue-echarts) because it has logarithmic axes, heatmaps, rich tooltips and canvas rendering
 * that stays light with many series; importing from `echarts/core` with `use([...])` keeps only these
 * charts, components and the canvas renderer in the bundle instead of all of ECharts.
 */
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, LineChart, HeatmapChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent, CanvasRenderer])
