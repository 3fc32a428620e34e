const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
const { isInfraFailure } = require('./resilience/errors');

const sns = new SNSClient({});

async function notify(topicArn, message) {
  const err = null;
  try {
    return await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  } catch (e) {
    console.warn('sns down', e, isInfraFailure(e));
    return err;
  }
}

const publish = (topicArn, message) =>
  sns.send(new PublishCommand({ TopicArn: topicArn, Message: message })).catch(function () {
    console.error('publish failed');
    return false;
  });

exports.announce = async (topicArn, message) => {
  try {
    await notify(topicArn, message);
    return await publish(topicArn, message);
  } catch (e) {
    throw new Error(`announcement to ${topicArn} failed`, { cause: e });
  }
};
