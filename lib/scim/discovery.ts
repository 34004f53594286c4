import { notFound } from "@/lib/errors";
import { MAX_RESULTS } from "./list";
import { scimJson } from "./response";
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from "./schemas";

/**
 * The discovery documents of RFC 7644 §4 / RFC 7643 §5-7: what this service
 * supports, and nothing it does not.
 */

type AttributeType =
  "string" | "boolean" | "complex" | "reference" | "dateTime";

export interface SchemaAttribute {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned: "always" | "never" | "default" | "request";
  uniqueness: "none" | "server" | "global";
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: SchemaAttribute[];
}

function attribute(
  name: string,
  description: string,
  options: Partial<Omit<SchemaAttribute, "name" | "description">> = {},
): SchemaAttribute {
  return {
    name,
    type: "string",
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...options,
  };
}

const userAttributes: SchemaAttribute[] = [
  attribute(
    "userName",
    "The identity provider's unique name for the user, kept exactly as provisioned; changes are not applied.",
    { required: true, mutability: "immutable", uniqueness: "server" },
  ),
  attribute("externalId", "The identity provider's identifier of the user.", {
    caseExact: true,
    uniqueness: "server",
  }),
  attribute("name", "The user's name.", {
    type: "complex",
    subAttributes: [
      attribute("formatted", "The full name."),
      attribute("familyName", "The family name."),
      attribute("givenName", "The given name."),
    ],
  }),
  attribute("displayName", "The name shown for the user."),
  attribute(
    "emails",
    "The user's one email address, where the invitation goes; it cannot change once provisioned.",
    {
      type: "complex",
      multiValued: true,
      required: true,
      mutability: "immutable",
      subAttributes: [
        attribute("value", "The email address, stored in lower case.", {
          required: true,
          mutability: "immutable",
          uniqueness: "server",
        }),
        attribute("type", "Always work.", {
          mutability: "immutable",
          canonicalValues: ["work"],
        }),
        attribute("primary", "Always true.", {
          type: "boolean",
          mutability: "immutable",
        }),
      ],
    },
  ),
  attribute(
    "active",
    "false revokes the user's access to the organization; true restores it.",
    { type: "boolean" },
  ),
  attribute("groups", "The groups the user belongs to.", {
    type: "complex",
    multiValued: true,
    mutability: "readOnly",
    subAttributes: [
      attribute("value", "The group's id.", {
        mutability: "readOnly",
        caseExact: true,
      }),
      attribute("$ref", "The URI of the group.", {
        type: "reference",
        referenceTypes: ["Group"],
        mutability: "readOnly",
        caseExact: true,
      }),
      attribute("display", "The group's displayName.", {
        mutability: "readOnly",
      }),
    ],
  }),
];

const enterpriseAttributes: SchemaAttribute[] = [
  attribute("employeeNumber", "The employee number."),
  attribute("costCenter", "The cost center."),
  attribute("organization", "The organization."),
  attribute("division", "The division."),
  attribute("department", "The department."),
  attribute("manager", "The user's manager.", {
    type: "complex",
    subAttributes: [
      attribute("value", "The identity provider's id of the manager.", {
        caseExact: true,
      }),
    ],
  }),
];

const groupAttributes: SchemaAttribute[] = [
  attribute("displayName", "The group's name, unique in the organization.", {
    required: true,
    uniqueness: "server",
  }),
  attribute("externalId", "The identity provider's identifier of the group.", {
    caseExact: true,
    uniqueness: "server",
  }),
  attribute("members", "The users in the group.", {
    type: "complex",
    multiValued: true,
    subAttributes: [
      attribute("value", "The id of a User.", {
        mutability: "immutable",
        caseExact: true,
      }),
      attribute("$ref", "The URI of the User.", {
        type: "reference",
        referenceTypes: ["User"],
        mutability: "immutable",
        caseExact: true,
      }),
      attribute("display", "The User's displayName or email.", {
        mutability: "readOnly",
      }),
      attribute("type", "Always User.", {
        mutability: "immutable",
        canonicalValues: ["User"],
      }),
    ],
  }),
];

const schemaDefinitions = [
  {
    id: USER_SCHEMA,
    name: "User",
    description: "A member of the organization",
    attributes: userAttributes,
  },
  {
    id: GROUP_SCHEMA,
    name: "Group",
    description: "A group of members",
    attributes: groupAttributes,
  },
  {
    id: ENTERPRISE_USER_SCHEMA,
    name: "EnterpriseUser",
    description: "Enterprise User extension attributes, stored as provisioned",
    attributes: enterpriseAttributes,
  },
];

const resourceTypes = [
  {
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "Members of the organization",
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
  },
  {
    id: "Group",
    name: "Group",
    endpoint: "/Groups",
    description: "Groups of members",
    schema: GROUP_SCHEMA,
  },
];

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description:
          "The organization's SCIM API key in an Authorization: Bearer header",
        primary: true,
      },
    ],
    meta: {
      resourceType: "ServiceProviderConfig",
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  };
}

function resourceTypeResource(
  type: (typeof resourceTypes)[number],
  baseUrl: string,
) {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    ...type,
    meta: {
      resourceType: "ResourceType",
      location: `${baseUrl}/ResourceTypes/${type.id}`,
    },
  };
}

function schemaResource(
  schema: (typeof schemaDefinitions)[number],
  baseUrl: string,
) {
  return {
    schemas: [SCHEMA_SCHEMA],
    ...schema,
    meta: {
      resourceType: "Schema",
      location: `${baseUrl}/Schemas/${schema.id}`,
    },
  };
}

function listOf(resources: object[]) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** GET on a discovery endpoint; `id` is the segment after ResourceTypes or Schemas. */
export function discoveryResponse(
  endpoint: "serviceproviderconfig" | "resourcetypes" | "schemas",
  id: string | undefined,
  baseUrl: string,
): Response {
  if (endpoint === "serviceproviderconfig") {
    if (id !== undefined) throw notFound("No such endpoint");
    return scimJson(200, serviceProviderConfig(baseUrl));
  }
  if (endpoint === "resourcetypes") {
    if (id === undefined) {
      return scimJson(
        200,
        listOf(
          resourceTypes.map((type) => resourceTypeResource(type, baseUrl)),
        ),
      );
    }
    const type = resourceTypes.find(
      (candidate) => candidate.id.toLowerCase() === id.toLowerCase(),
    );
    if (!type) throw notFound(`No resource type ${id.slice(0, 64)}`);
    return scimJson(200, resourceTypeResource(type, baseUrl));
  }
  if (id === undefined) {
    return scimJson(
      200,
      listOf(
        schemaDefinitions.map((schema) => schemaResource(schema, baseUrl)),
      ),
    );
  }
  const schema = schemaDefinitions.find(
    (candidate) => candidate.id.toLowerCase() === id.toLowerCase(),
  );
  if (!schema) throw notFound(`No schema ${id.slice(0, 128)}`);
  return scimJson(200, schemaResource(schema, baseUrl));
}
