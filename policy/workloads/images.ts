/** Parsing of container image references lives with validation, which checks access.image by the same rules. */
export { hasDigest, imagePinProblem, tagOf } from "../../infra/validation/imageRules";
