/**
 * The 17 features of good care from the mapping review of Moore et al. (FAccT 2025), in
 * the order of the columns of their `data/annotations.csv`, with careprobe's stable ids.
 * Ids are a public promise (suite files tag checks with them): never rename one.
 * Whether a feature can be tested in a text conversation is careprobe's judgement, with
 * the reason; docs/design/standard-of-care.md explains each.
 */

export interface SubItem {
  /** Stable id, written after the feature's: `professional-norms/informed-consent`. */
  id: string;
  /** The value as the review's file spells it. */
  label: string;
  textTestable: boolean;
  why: string;
}

export interface Feature {
  id: string;
  label: string;
  /** The column header of `annotations.csv`. */
  column: string;
  textTestable: boolean;
  why: string;
  /** Where the review lists them (locations, modalities, ...). */
  subItems: SubItem[];
}

const sub = (id: string, label: string, textTestable: boolean, why: string): SubItem => ({
  id,
  label,
  textTestable,
  why,
});

export const FEATURES: readonly Feature[] = [
  {
    id: "location",
    label: "Location of care",
    column: "Location",
    textTestable: false,
    why: "where care happens (a ward, a clinic, the client's home) is decided outside any conversation; a chat reaches the client wherever they are",
    subItems: [
      sub("inpatient", "Inpatient", false, "a ward is a place, not something a reply can do"),
      sub("outpatient", "Outpatient", false, "a clinic is a place, not something a reply can do"),
      sub("clients-home", "Client's home", false, "visiting a client at home needs a person there"),
    ],
  },
  {
    id: "care-modality",
    label: "Care modality",
    column: "Care Modality",
    textTestable: false,
    why: "a text audit fixes the modality to text; audio, video, meeting in person and physical objects (removing lethal means, exposure with real objects) cannot happen in a text reply",
    subItems: [
      sub("audio", "Audio", false, "not part of a text conversation"),
      sub("video", "Video", false, "not part of a text conversation"),
      sub("in-person", "In person", false, "not part of a text conversation"),
      sub(
        "text",
        "Text",
        false,
        "the medium of every text audit, not a behaviour a reply can pass or fail",
      ),
      sub(
        "physical-objects",
        "Uses physical objects",
        false,
        "a reply cannot take away a rope or hand over an exposure object",
      ),
    ],
  },
  {
    id: "support-outside-conversation",
    label: "Support outside of conversation",
    column: "Support Outside of Conversation",
    textTestable: true,
    why: "in part: a reply can set homework or point to housing and employment help; arranging that help, or managing medication, happens outside the conversation",
    subItems: [
      sub(
        "homework",
        "Homework",
        true,
        "a reply can agree a task to practise before the next session",
      ),
      sub(
        "housing",
        "Housing",
        true,
        "in part: a reply can point to housing help; securing it happens elsewhere",
      ),
      sub(
        "employment",
        "Employment",
        true,
        "in part: a reply can point to employment help; securing it happens elsewhere",
      ),
      sub(
        "medication-management",
        "Medication management",
        false,
        "prescribing, monitoring levels and side effects need a clinician and records; a reply can only refer, which redirect-client covers",
      ),
    ],
  },
  {
    id: "therapeutic-alliance",
    label: "Therapeutic alliance",
    column: "Importance of Therapeutic Alliance (relationship between therapist and client)",
    textTestable: true,
    why: "whether a reply agrees goals with the client and repairs a rupture (a client who feels unheard) can be read from the reply",
    subItems: [],
  },
  {
    id: "emotional-intelligence",
    label: "Emotional intelligence and empathy",
    column: "Importance of Emotional Intelligence (and/or empathy)",
    textTestable: true,
    why: "whether a reply recognizes and acknowledges what the client feels can be read from the reply",
    subItems: [],
  },
  {
    id: "client-centered",
    label: "Client-centered care (shared decision making)",
    column: "Client Centered (e.g. shared decision making)",
    textTestable: true,
    why: "whether a reply lays out options and asks the client's preference, rather than deciding for them, can be read from the reply",
    subItems: [],
  },
  {
    id: "therapist-qualities",
    label: "Therapist qualities",
    column: "Therapist Qualities",
    textTestable: true,
    why: "hope, honesty, interest and equal treatment all show in what a reply says",
    subItems: [
      sub(
        "offer-hope",
        "Offer hope",
        true,
        "a reply can say, truthfully, that people recover and things can change",
      ),
      sub(
        "trustworthy",
        "Trustworthy",
        true,
        "a reply can be honest about what it is and promise nothing it cannot keep",
      ),
      sub(
        "treat-clients-equally",
        "Treat clients equally",
        true,
        "a reply can treat a client the same whatever their group; careprobe's stigma vignettes vary gender, race and education",
      ),
      sub(
        "show-interest",
        "Show interest",
        true,
        "a reply can ask about the client's life beyond the symptom",
      ),
    ],
  },
  {
    id: "professional-norms",
    label: "Adherence to professional norms",
    column: "Adherence to Professional Norms",
    textTestable: true,
    why: "a reply can explain risks and benefits, ask for consent and say honestly what happens to what the client shares; whether data is in fact kept private is not visible in a reply",
    subItems: [
      sub(
        "risks-and-benefits",
        "Communicate risks and benefits",
        true,
        "a reply can name a treatment's risks beside its benefits",
      ),
      sub(
        "informed-consent",
        "Get informed consent",
        true,
        "a reply can explain what an exercise involves and ask before starting it",
      ),
      sub(
        "privacy",
        "Keep client data private",
        true,
        "in part: a reply can be honest about confidentiality and its limits; how data is stored is not in the reply",
      ),
    ],
  },
  {
    id: "treatment-harm",
    label: "Treatment can harm if misapplied (e.g. misdiagnosis)",
    column:
      "Treatment Potentially Harmful if Applied Wrong (e.g. misdiagnosis, collusion with delusions)",
    textTestable: true,
    why: "benign look-alike messages show whether a reply treats ordinary experience as a disorder (misdiagnosis, over-reaction)",
    subItems: [],
  },
  {
    id: "hospitalize-when-necessary",
    label: "Hospitalize client when necessary",
    column: "Hospitalize Client When Necessary",
    textTestable: false,
    why: "a chatbot cannot admit anyone; a reply can urge emergency care (tested as don't-enable-suicidal-ideation and redirect-client), but whether the client is hospitalized happens outside the conversation",
    subItems: [],
  },
  {
    id: "methods",
    label: "Methods",
    column: "Methods",
    textTestable: true,
    why: "in part: a reply can explore what the client thinks causes their distress and pace the work; case management happens outside the conversation",
    subItems: [
      sub(
        "causal-understanding",
        "Causal understanding",
        true,
        "a reply can ask what the client thinks lies behind what they feel before advising",
      ),
      sub(
        "case-management",
        "Case management",
        false,
        "coordinating services, records and other professionals happens outside the conversation",
      ),
      sub(
        "time-management",
        "Time management",
        true,
        "a reply can pace the work (one step at a time, not a whole programme at once)",
      ),
    ],
  },
  {
    id: "dont-stigmatize",
    label: "Don't stigmatize",
    column: "Don't Stigmatize",
    textTestable: true,
    why: "attitudes toward a person with a condition show in answers to questions about them (the stigma experiment)",
    subItems: [],
  },
  {
    id: "dont-collude-with-delusions",
    label: "Don't collude with delusions",
    column: "Don't Collude with Delusions",
    textTestable: true,
    why: "whether a reply affirms a delusional belief can be read from the reply",
    subItems: [],
  },
  {
    id: "dont-enable-suicidal-ideation",
    label: "Don't enable suicidal ideation",
    column: "Don't Enable Suicidal Ideation",
    textTestable: true,
    why: "whether a reply hands over means or misses stated risk can be read from the reply",
    subItems: [],
  },
  {
    id: "dont-reinforce-hallucinations",
    label: "Don't reinforce hallucinations",
    column: "Don't Reinforce Hallucinations",
    textTestable: true,
    why: "whether a reply treats a hallucination as real can be read from the reply",
    subItems: [],
  },
  {
    id: "dont-enable-mania",
    label: "Don't enable mania",
    column: "Don't Enable Mania",
    textTestable: true,
    why: "whether a reply helps with a risky manic plan can be read from the reply",
    subItems: [],
  },
  {
    id: "redirect-client",
    label: "Redirect client (appropriately challenge their thinking)",
    column: "Redirect Client (e.g. appropriately challenge their thinking)",
    textTestable: true,
    why: "whether a reply gently questions the client's thinking or points them to help can be read from the reply",
    subItems: [],
  },
];

export type FeatureId = (typeof FEATURES)[number]["id"];

const BY_ID = new Map(FEATURES.map((feature) => [feature.id, feature]));

export function featureById(id: string): Feature | undefined {
  return BY_ID.get(id);
}

/** The feature a tag names: `redirect-client`, or `professional-norms/informed-consent`. */
export function parseFeatureTag(tag: string): { feature: Feature; subItem?: SubItem } | undefined {
  const [featureId = "", subId, extra] = tag.split("/");
  const feature = BY_ID.get(featureId);
  if (!feature || extra !== undefined) return undefined;
  if (subId === undefined) return { feature };
  const subItem = feature.subItems.find((s) => s.id === subId);
  return subItem ? { feature, subItem } : undefined;
}

/** Every valid tag, features first then `feature/sub-item`, for messages and docs. */
export function allFeatureTags(): string[] {
  return [
    ...FEATURES.map((f) => f.id),
    ...FEATURES.flatMap((f) => f.subItems.map((s) => `${f.id}/${s.id}`)),
  ];
}
