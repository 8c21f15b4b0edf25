/**
 * Icons of the suite, drawn inline so they follow the theme (`jp-icon3` fills take the theme's icon colour).
 */
import { LabIcon } from '@jupyterlab/ui-components';

/** A stylised hexagonal "cube of layers": the SageMaker panel's icon. */
const SAGEMAKER_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 1.5 21.1 6.75v10.5L12 22.5 2.9 17.25V6.75L12 1.5zm0 2.31L4.9 7.9v8.2L12 20.19l7.1-4.09V7.9L12 3.81z"/>
    <path d="M12 6.2 16.9 9 12 11.8 7.1 9 12 6.2z"/>
    <path d="M7.1 11.1 11 13.35v4.5l-3.9-2.25v-4.5zM16.9 11.1v4.5L13 17.85v-4.5l3.9-2.25z"/>
  </g>
</svg>`;

/** The SageMaker icon of the sidebar panel and the status bar. */
export const sageMakerIcon = new LabIcon({
  name: 'jupyterlab-sagemaker-studio:sagemaker',
  svgstr: SAGEMAKER_SVG
});

/** Bars of a chart beside a slider: the chart property pane's icon. */
const CHART_PROPERTIES_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M3 20h18v2H3z"/>
    <path d="M4 12h3v7H4zM9 7h3v12H9zM14 10h3v9h-3z"/>
    <path d="M19 3h2v6h-2zM18 4.5h4v2h-4z"/>
  </g>
</svg>`;

/** The icon of the chart property pane (right sidebar). */
export const chartPropertiesIcon = new LabIcon({
  name: 'jupyterlab-sagemaker-studio:chart-properties',
  svgstr: CHART_PROPERTIES_SVG
});

/** A rocket lifting off: the JumpStart panel's icon. */
const JUMPSTART_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 1.5c3.2 2.3 4.8 5.6 4.8 9.6 0 1.6-.3 3.2-.8 4.7H8c-.5-1.5-.8-3.1-.8-4.7 0-4 1.6-7.3 4.8-9.6zm0 5.3a1.9 1.9 0 1 0 0 3.8 1.9 1.9 0 0 0 0-3.8z"/>
    <path d="M7 12.6 4.2 15.7v3.6L7.6 17zM17 12.6l2.8 3.1v3.6L16.4 17z"/>
    <path d="M9.6 17.2h4.8L12 22.5z"/>
  </g>
</svg>`;

/** The icon of the JumpStart sidebar panel, its command and its model cards. */
export const jumpStartIcon = new LabIcon({
  name: 'jupyterlab-sagemaker-studio:jumpstart',
  svgstr: JUMPSTART_SVG
});
