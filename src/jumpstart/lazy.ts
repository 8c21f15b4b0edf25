/**
 * What the JumpStart feature loads on first use (the plugin imports this with `import()`): the source, the model
 * and the views with their styles, kept out of JupyterLab's start-up bundle.
 */
import '../../style/jumpstart.css';
import '../../style/jumpstartDeploy.css';
export { CatalogView } from './CatalogPanel';
export { registerDeployCommand } from './DeployDialog';
export { registerFineTuneCommand } from './FineTuneDialog';
export { LaunchedModel } from './launched';
export { LaunchedView } from './LaunchedView';
export { JumpStartModel } from './model';
export { ModelCardView } from './ModelCard';
export { JumpStartSource } from './source';
export { PriceTable } from '../pricing/table';
