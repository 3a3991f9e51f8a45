// The one registry of the wizard's step screens: a step names its screen by key (Step.screen), the
// wizard shows the component registered here. Steps stay data that never imports a screen.
import type { ComponentType } from 'react';
import type { ScreenKey, StepScreenProps } from '../../steps/types.js';
import { DisksScreen } from './disks-screen.js';
import { ExportsScreen } from './exports-screen.js';
import { FinishScreen } from './finish-screen.js';
import { FormScreen } from './form-screen.js';
import { PrerequisitesScreen } from './prerequisites-screen.js';
import { ProbingScreen } from './probing-screen.js';
import { ReviewScreen } from './review-screen.js';
import { WelcomeScreen } from './welcome-screen.js';

export const STEP_SCREENS: Record<ScreenKey, ComponentType<StepScreenProps>> = {
  welcome: WelcomeScreen,
  probing: ProbingScreen,
  prerequisites: PrerequisitesScreen,
  form: FormScreen,
  disks: DisksScreen,
  exports: ExportsScreen,
  review: ReviewScreen,
  finish: FinishScreen,
};
