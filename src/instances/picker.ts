/**
 * What the instance picker loads on first use (the plugin imports this with `import()`): the dialog, the catalog
 * with its prices and the images, kept out of JupyterLab's start-up bundle.
 */
import '../../style/instancePicker.css';
export { loadCatalog } from './catalog';
export { imagesFor } from './images';
export { InstancePickerBody, pickInstance } from './InstancePicker';
export { RecentInstances } from './recent';
