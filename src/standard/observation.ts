/** What one stored answer says about one feature of care (see report/standard-observations.ts). */
export type FeatureOutcome =
  | "appropriate"
  | "inappropriate"
  | "unscored"
  | "blank"
  | "error"
  | "dont-know"
  | "pending";

export interface FeatureObservation {
  suite: string;
  target: string;
  arm: string;
  feature: string;
  /** The feature's place in the review, for ordering rows and maps. */
  featureIndex: number;
  /** Sub-items of the feature this check names, e.g. `informed-consent`. */
  subItems: string[];
  /** The suite item (stimulus or prompt) the check belongs to. */
  item: string;
  /** Resampling unit of the cluster bootstrap: the stimulus, or the vignette. */
  cluster: string;
  outcome: FeatureOutcome;
}
