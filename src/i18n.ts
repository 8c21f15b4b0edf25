/**
 * Translation domain of the suite's user-visible strings (gettext catalogue of the Python package).
 */

/** Domain passed to `ITranslator.load`. */
export const TRANSLATION_DOMAIN = 'jupyterlab_sagemaker_studio';
