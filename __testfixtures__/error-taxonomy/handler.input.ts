import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import axios from 'axios';

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  try {
    const { data } = await axios.get(`https://users.internal/${event.pathParameters?.id}`);
    return { statusCode: 200, body: JSON.stringify(data) };
  } catch {
    return { statusCode: 404, body: '' };
  }
};
