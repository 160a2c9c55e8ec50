/**
 * The ECharts modules the Balance view uses, registered once. ECharts (through vue-echarts) because it
 * has real logarithmic value axes (a 0.1% class next to an 87% one stays readable), rich tooltips,
 * canvas rendering that stays light with many bars, and it is a well-kept Apache project. Importing
 * from `echarts/core` with `use([...])` keeps only the bar chart, two components and the canvas renderer
 * in the bundle instead of all of ECharts.
 */
import { BarChart } from 'echarts/charts'
import { GridComponent, TitleComponent, TooltipComponent } from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, GridComponent, TitleComponent, TooltipComponent, CanvasRenderer])
